"""Forms for casework: the public ones and the admin action forms."""
