"""The writes of kpi: plans (kpi.services.plans) and their imports (kpi.services.imports)."""
