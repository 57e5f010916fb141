"""Repository -> model: sites.yml, git history, the policy file format, the version rules and translations."""
