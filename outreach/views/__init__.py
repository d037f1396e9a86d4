from outreach.views.public import desk, signup, ticket

__all__ = ["desk", "signup", "ticket"]
