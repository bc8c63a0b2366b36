"""One repository module per aggregate the service stores."""
