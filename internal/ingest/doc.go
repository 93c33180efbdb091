// Package ingest reads archives (JSON Lines, JSON, scraped text pages, HTML
// pages), turns each record into an article.Article with clean text, a parsed
// or inferred date and boilerplate split off, and hands it to a Sink. Bad
// records are skipped with a reason, file and line, and counted; the run goes on.
//
// Decisions a user may want to know:
//
//   - Source: the record's source, else its URL's host, else --source, else
//     the file's base name ("vims.jsonl.gz" → "vims"); for a text or HTML page
//     the name of its folder, so a folder of pages is one source; "stdin".
//   - Id: the record's id, else its URL (hashed), else for a page file its file
//     name, else a hash of title, date and body (article.Key).
//   - Dates: the record's date field in any form ParseDate knows; without one
//     (or with an unreadable one), the date the lead states for itself
//     (InferDate), marked published_from "text". Dates before 1900 or more
//     than two days ahead are left unknown and reported as warnings.
//   - Text: vntext.Repair (Clean + NFC) on every field; spelling and tone
//     placement stay as published. Word-segmented titles and summaries
//     (title_summary_word_segmented) are joined back. Known boilerplate (the
//     24h.com.vn "saved" notice and "Nguồn: [Link nguồn]") is stripped; a
//     reading list after a heading such as "Tin liên quan" goes to
//     ReadingList, not the body.
//   - The same key twice in one run: the later record wins and the report
//     says so. Re-running a file where that happens rewrites both records
//     (the first no longer matches what is stored).
package ingest
