// n8n loads this package through the "n8n" block of package.json; there is nothing to export here.
