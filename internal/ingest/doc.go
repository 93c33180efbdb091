// Package ingest reads archives (JSON Lines, JSON, scraped text pages, HTML
// pages), turns each record into an article.Article with clean text, a parsed
// or inferred date and boilerplate split off, and hands it to a Sink. Bad
// records are skipped with a reason, file and line, and counted; the run goes on.
package ingest
