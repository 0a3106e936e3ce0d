// package.json's "main", kept as the package layout names it: n8n loads what the "n8n" block lists.
