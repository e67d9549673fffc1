"""The service-management area (服务管理): the catalogue of services, SLA targets and calendars,
suppliers and contracts, business units and capacity — reference data and views of issue #4."""
