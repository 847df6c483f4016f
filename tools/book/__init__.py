"""The book's generated pages: the section map and the glossary, rendered from TOML."""
