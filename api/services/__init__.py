"""The API's writes: staff tokens (``tokens``), the worker's WeChat login and mobile binding (``workers``,
``wechat``). Domain writes go through each app's own services, called by the routers."""
