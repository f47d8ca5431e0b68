"""Office time: every date and time pengaduan reads or writes is in WIB (Asia/Jakarta)."""
from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo

WIB = ZoneInfo("Asia/Jakarta")
END_OF_DAY = time(23, 59, 59)  # "on date D" means at the end of D
