"""pengaduan: SOP No. 4 Tahun 2022 KPU Kabupaten Pulang Pisau as Git records."""
