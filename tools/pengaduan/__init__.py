"""pengaduan: SOP No. 4 Tahun 2022 KPU Kabupaten Pulang Pisau as Git records."""
import os

# Replacement refs (`git replace`, refs/replace/*) make Git show one object in place of another: anyone who can
# push a ref could swap a flagged commit for a clean-looking one in every clone that fetches them (a mirror
# backup does). Every git this package runs, directly or through GitPython, reads the objects as they are.
os.environ["GIT_NO_REPLACE_OBJECTS"] = "1"
