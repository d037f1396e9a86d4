"""The messages core's transports: one backend per channel (``backends``). Sending, retries, the rate limit
and the record of what was sent are ``unionhub.services.messages``."""
