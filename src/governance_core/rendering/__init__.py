"""What a reader is shown: verdicts, items and values in words, in Chinese or English."""
