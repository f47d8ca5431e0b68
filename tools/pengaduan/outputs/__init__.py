"""What pengaduan makes from the records: the public projection, recap, documents, letters, site, publishing."""
