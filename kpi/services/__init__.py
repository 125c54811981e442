"""The writes of kpi: making plans (plans), changing them (changes), the trading calendar's tables
(calendar). The months import is kpi.imports."""
