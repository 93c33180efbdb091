package ingest

import (
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// What a report line says happened to a record or file.
const (
	outcomeSkipped   = "skipped"   // not indexed
	outcomeRepaired  = "repaired"  // indexed after repairs
	outcomeConverted = "converted" // a field converted from a legacy encoding (TCVN3, VNI, VISCII)
	outcomeWarning   = "warning"   // indexed; something about it looks wrong
	outcomeIgnored   = "ignored"   // a file in a folder that is not an archive file
)

// ReportLine is one line of the --report file.
type ReportLine struct {
	File    string `json:"file"`
	Line    int    `json:"line,omitempty"`
	Key     string `json:"key,omitempty"`
	Outcome string `json:"outcome"`
	Reason  string `json:"reason"`
}

// reportWriter writes report lines and counts them for the summary.
type reportWriter struct {
	enc       *json.Encoder
	err       error
	skipped   map[string]int
	repaired  int
	converted int
	warnings  int
	ignored   int
}

func newReportWriter(w io.Writer) *reportWriter {
	r := &reportWriter{skipped: map[string]int{}}
	if w != nil {
		r.enc = json.NewEncoder(w)
		r.enc.SetEscapeHTML(false)
	}
	return r
}

func (r *reportWriter) skip(file string, line int, key string, err error) {
	r.add(file, line, key, outcomeSkipped, err.Error())
	r.skipped[reasonLabel(err)]++
}

func (r *reportWriter) add(file string, line int, key, outcome, reason string) {
	switch outcome {
	case outcomeRepaired:
		r.repaired++
	case outcomeConverted:
		r.converted++
	case outcomeWarning:
		r.warnings++
	case outcomeIgnored:
		r.ignored++
	}
	if r.enc != nil && r.err == nil {
		r.err = r.enc.Encode(ReportLine{File: file, Line: line, Key: key, Outcome: outcome, Reason: reason})
	}
}

// Summary is what an ingest run did.
type Summary struct {
	Files       int            `json:"files"`
	Read        int            `json:"records_read"`
	Added       int            `json:"added"`
	Updated     int            `json:"updated"`
	Unchanged   int            `json:"unchanged"`
	Skipped     map[string]int `json:"skipped"` // by reason; includes whole files that could not be read
	Repaired    int            `json:"repaired"`
	Converted   int            `json:"converted_fields"` // from TCVN3, VNI or VISCII
	Warnings    int            `json:"warnings"`
	Ignored     int            `json:"ignored_files"`
	Bytes       int64          `json:"bytes_read"`
	Elapsed     time.Duration  `json:"elapsed_ns"`
	Interrupted bool           `json:"interrupted"`
}

func (in *Ingester) summary(interrupted bool) *Summary {
	c := &in.counts
	skipped := make(map[string]int, len(in.report.skipped))
	for k, v := range in.report.skipped {
		skipped[k] = v
	}
	return &Summary{
		Files: int(c.files.Load()), Read: int(c.read.Load()),
		Added: int(c.added.Load()), Updated: int(c.updated.Load()), Unchanged: int(c.unchanged.Load()),
		Skipped: skipped, Repaired: in.report.repaired, Converted: in.report.converted, Warnings: in.report.warnings, Ignored: in.report.ignored,
		Bytes: c.bytesRead.Load(), Elapsed: time.Since(in.started), Interrupted: interrupted,
	}
}

// SkippedTotal counts every skip, records and files.
func (s *Summary) SkippedTotal() int {
	n := 0
	for _, v := range s.Skipped {
		n += v
	}
	return n
}

// PerSecond is the rate of records read.
func (s *Summary) PerSecond() float64 {
	if s.Elapsed <= 0 {
		return 0
	}
	return float64(s.Read) / s.Elapsed.Seconds()
}

// WriteText prints the summary for people.
func (s *Summary) WriteText(w io.Writer) error {
	var b strings.Builder
	if s.Interrupted {
		b.WriteString("interrupted: run the same command again to finish\n")
	}
	fmt.Fprintf(&b, "files        %d\n", s.Files)
	fmt.Fprintf(&b, "records read %d\n", s.Read)
	fmt.Fprintf(&b, "added        %d\n", s.Added)
	fmt.Fprintf(&b, "updated      %d\n", s.Updated)
	fmt.Fprintf(&b, "unchanged    %d\n", s.Unchanged)
	fmt.Fprintf(&b, "skipped      %d\n", s.SkippedTotal())
	reasons := make([]string, 0, len(s.Skipped))
	for r := range s.Skipped {
		reasons = append(reasons, r)
	}
	sort.Strings(reasons)
	for _, r := range reasons {
		fmt.Fprintf(&b, "  %-28s %d\n", r, s.Skipped[r])
	}
	fmt.Fprintf(&b, "repaired     %d\n", s.Repaired)
	if s.Converted > 0 {
		fmt.Fprintf(&b, "converted    %d fields from TCVN3, VNI or VISCII (see --report)\n", s.Converted)
	}
	if s.Warnings > 0 {
		fmt.Fprintf(&b, "warnings     %d (see --report)\n", s.Warnings)
	}
	if s.Ignored > 0 {
		fmt.Fprintf(&b, "ignored      %d files (not archive files)\n", s.Ignored)
	}
	fmt.Fprintf(&b, "elapsed      %s\n", s.Elapsed.Round(time.Millisecond))
	fmt.Fprintf(&b, "articles/s   %.0f\n", s.PerSecond())
	_, err := io.WriteString(w, b.String())
	return err
}
