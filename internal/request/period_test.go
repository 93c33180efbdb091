package request

import (
	"testing"
	"time"
)

func TestPeriod(t *testing.T) {
	hcm, err := time.LoadLocation("Asia/Ho_Chi_Minh")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	const layout = "2006-01-02T15:04:05.999999999Z07:00"
	tests := []struct {
		in         string
		start, end string
	}{
		{"2024", "2024-01-01T00:00:00+07:00", "2024-12-31T23:59:59.999999999+07:00"},
		{"2024-06", "2024-06-01T00:00:00+07:00", "2024-06-30T23:59:59.999999999+07:00"},
		{"2024-12", "2024-12-01T00:00:00+07:00", "2024-12-31T23:59:59.999999999+07:00"},
		{"2024-02", "2024-02-01T00:00:00+07:00", "2024-02-29T23:59:59.999999999+07:00"},
		{"2024-02-29", "2024-02-29T00:00:00+07:00", "2024-02-29T23:59:59.999999999+07:00"},
		{"2023-12-31", "2023-12-31T00:00:00+07:00", "2023-12-31T23:59:59.999999999+07:00"},
		{"2200-12-31", "2200-12-31T00:00:00+07:00", "2200-12-31T23:59:59.999999999+07:00"},
	}
	for _, tt := range tests {
		start, end, err := Period(tt.in, hcm)
		if err != nil {
			t.Errorf("Period(%q): %v", tt.in, err)
			continue
		}
		if got := start.Format(layout); got != tt.start {
			t.Errorf("Period(%q) start = %s, want %s", tt.in, got, tt.start)
		}
		if got := end.Format(layout); got != tt.end {
			t.Errorf("Period(%q) end = %s, want %s", tt.in, got, tt.end)
		}
	}
}

// A day with a daylight-saving change is still the whole day.
func TestPeriodDST(t *testing.T) {
	ny, err := time.LoadLocation("America/New_York")
	if err != nil {
		t.Skip("no time zone data:", err)
	}
	start, end, err := Period("2024-03-10", ny)
	if err != nil {
		t.Fatal(err)
	}
	if got, want := end.Sub(start)+time.Nanosecond, 23*time.Hour; got != want {
		t.Errorf("2024-03-10 in New York lasts %v, want %v", got, want)
	}
}

func TestPeriodNilLocation(t *testing.T) {
	start, _, err := Period("2024-06", nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC); !start.Equal(want) {
		t.Errorf("start = %v, want %v", start, want)
	}
	start, end, err := Period("1900", nil) // the first year allowed
	if want := time.Date(1901, 1, 1, 0, 0, 0, 0, time.UTC); err != nil || start.Year() != 1900 || !end.Add(time.Nanosecond).Equal(want) {
		t.Errorf(`Period("1900", nil) = %v, %v, %v`, start, end, err)
	}
}

func TestPeriodErrors(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", `want YYYY, YYYY-MM or YYYY-MM-DD, got ""`},
		{"24", `want YYYY, YYYY-MM or YYYY-MM-DD, got "24"`},
		{"2024-6", `want YYYY, YYYY-MM or YYYY-MM-DD, got "2024-6"`},
		{"2024-06-1", `want YYYY, YYYY-MM or YYYY-MM-DD, got "2024-06-1"`},
		{"2024/06", `want YYYY, YYYY-MM or YYYY-MM-DD, got "2024/06"`},
		{"2024-06-", `want YYYY, YYYY-MM or YYYY-MM-DD, got "2024-06-"`},
		{"2024-06-01T00", `want YYYY, YYYY-MM or YYYY-MM-DD, got "2024-06-01T00"`},
		{"+024", `want YYYY, YYYY-MM or YYYY-MM-DD, got "+024"`},
		{"２０２４", `want YYYY, YYYY-MM or YYYY-MM-DD, got "２０２４"`},
		{"2024-13", "2024 has no month 13"},
		{"2024-00", "2024 has no month 00"},
		{"2024-02-30", "2024-02 has no day 30"},
		{"2023-02-29", "2023-02 has no day 29"},
		{"2024-04-31", "2024-04 has no day 31"},
		{"2024-01-00", "2024-01 has no day 00"},
		{"1899", "year 1899 is outside 1900–2200"},
		{"2201-01-01", "year 2201 is outside 1900–2200"},
		{"0000", "year 0 is outside 1900–2200"},
	}
	for _, tt := range tests {
		_, _, err := Period(tt.in, time.UTC)
		if err == nil || err.Error() != tt.want {
			t.Errorf("Period(%q) error = %v, want %q", tt.in, err, tt.want)
		}
	}
}
