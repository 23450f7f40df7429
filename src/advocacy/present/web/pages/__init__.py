"""Server-rendered pages: sign-in, overview, explorer, customers, coaching and the topic pages."""
