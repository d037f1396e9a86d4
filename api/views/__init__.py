"""The API's HTTP layer on django-ninja: problem details (``problems``), authentication (``security``), cursor
pagination (``pagination``), the Chinese text of the schema (``text``) and the ``NinjaAPI`` itself (``site``).
The endpoints are in ``api.routers``, one module per app."""
