"""The desk's pages, one module per page or group of pages; ``claims.web.urls`` routes them."""
