"""What the tests share: helpers, recorded baselines, the browser."""
