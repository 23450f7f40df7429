"""The present layer: CLI, web app, reports and exports, thin over the library."""
