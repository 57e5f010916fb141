"""The use cases behind the commands (check, diff, versions, verify, review, import), without argparse."""
