package ingest

import (
	"testing"
	"time"
)

func mustZone(t testing.TB, name string) *time.Location {
	t.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestParseDate(t *testing.T) {
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	tests := []struct {
		in   string
		want string // RFC 3339 in the zone parsed
	}{
		{"2024-06-26T10:30:00+07:00", "2024-06-26T10:30:00+07:00"},
		{"2024-06-26T03:30:00Z", "2024-06-26T03:30:00Z"},
		{"2024-06-26T10:30:00.123+07:00", "2024-06-26T10:30:00.123+07:00"},
		{"2026-01-21T02:15:00+00:00", "2026-01-21T02:15:00Z"},
		{"2024-06-26", "2024-06-26T00:00:00+07:00"},
		{"2024-06-26 10:30:05", "2024-06-26T10:30:05+07:00"},
		{"2024-06-26 10:30", "2024-06-26T10:30:00+07:00"},
		{"2024-06-26T10:30:05", "2024-06-26T10:30:05+07:00"},
		{"20201001", "2020-10-01T00:00:00+07:00"},
		{"26/6/2024", "2024-06-26T00:00:00+07:00"},
		{"26/06/2024 10:30", "2024-06-26T10:30:00+07:00"},
		{"10:30 26/06/2024", "2024-06-26T10:30:00+07:00"},
		{"26-06-2024", "2024-06-26T00:00:00+07:00"},
		{"Thứ tư, 26/6/2024, 10:30 (GMT+7)", "2024-06-26T10:30:00+07:00"},
		{"Chủ nhật, 5/1/2025 - 08:05 (GMT+07:00)", "2025-01-05T08:05:00+07:00"},
		{"Thứ 2, 03/02/2025 14h20", "2025-02-03T14:20:00+07:00"},
		{"ngày 26 tháng 6 năm 2024", "2024-06-26T00:00:00+07:00"},
		{"Ngày 2 tháng 9, năm 2019", "2019-09-02T00:00:00+07:00"},
		{"cập nhật lúc 21:32 ngày 04/12/2025", "2025-12-04T21:32:00+07:00"},
		{"1719372600", "2024-06-26T10:30:00+07:00"},    // Unix seconds
		{"1719372600000", "2024-06-26T10:30:00+07:00"}, // Unix milliseconds
		{"Wed, 26 Jun 2024 10:30:00 +0700", "2024-06-26T10:30:00+07:00"},
		{"Wed, 26 Jun 2024 03:30:00 GMT", "2024-06-26T03:30:00Z"},
		{"  2024-06-26  ", "2024-06-26T00:00:00+07:00"},
	}
	for _, tt := range tests {
		got, err := ParseDate(tt.in, hcm)
		if err != nil {
			t.Errorf("ParseDate(%q): %v", tt.in, err)
			continue
		}
		want, _ := time.Parse(time.RFC3339Nano, tt.want)
		if !got.Equal(want) {
			t.Errorf("ParseDate(%q) = %s, want %s", tt.in, got.Format(time.RFC3339Nano), tt.want)
		}
	}
}

func TestParseDateRejects(t *testing.T) {
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	for _, in := range []string{
		"", "hôm qua", "31/2/2024", "26/13/2024", "2024-02-30", "26/6", "Ngày 26/6, Quận ủy tổ chức hội thi năm 2024",
		"25:10 26/6/2024", "12345", "tháng 6 năm 2024",
	} {
		if got, err := ParseDate(in, hcm); err == nil {
			t.Errorf("ParseDate(%q) = %s, want an error", in, got)
		}
	}
}

// A date without a zone is in the archive's zone: 00:30 on 1 January in Hà
// Nội is still the old year in UTC, but its year is the new one where the
// archive is.
func TestParseDateArchiveZone(t *testing.T) {
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	for _, in := range []string{"2024-01-01 00:30", "01/01/2024 00:30", "ngày 1 tháng 1 năm 2024 lúc 00:30"} {
		got, err := ParseDate(in, hcm)
		if err != nil {
			t.Fatalf("ParseDate(%q): %v", in, err)
		}
		if y := got.UTC().Year(); y != 2023 {
			t.Errorf("%q in UTC is in %d, want 2023", in, y)
		}
		if y := got.In(hcm).Year(); y != 2024 {
			t.Errorf("%q in the archive zone is in %d, want 2024", in, y)
		}
	}
	got, _ := ParseDate("2024-01-01 00:30", time.UTC)
	if got.Year() != 2024 || got.Hour() != 0 || got.Location() != time.UTC {
		t.Errorf("--tz UTC: got %s", got)
	}
	// An explicit offset wins over the archive's zone.
	got, _ = ParseDate("2024-01-01T00:30:00+09:00", hcm)
	if want := time.Date(2023, 12, 31, 15, 30, 0, 0, time.UTC); !got.Equal(want) {
		t.Errorf("explicit offset: got %s, want %s", got, want)
	}
}

func TestInferDate(t *testing.T) {
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	tests := []struct {
		lead string
		want string // "" for none
	}{
		{"Ngày 26/6, Quận ủy Tây Hồ tổ chức hội thi “Dân vận khéo” năm 2024. Đây là hoạt động (10/10/1954 - 10/10/2024).", "2024-06-26"},
		{"Sáng 5/3/2021, UBND tỉnh tổ chức lễ khởi công.", "2021-03-05"},
		{"TTO - Chiều 23-10, hàng nghìn người xuống đường trong năm 2013.", "2013-10-23"},
		{"(Báo Mới) - Tối thứ bảy, 12/4/2019, đội tuyển trở về.", "2019-04-12"},
		{"Ngày 2 tháng 9 năm 2019, cả nước kỷ niệm Quốc khánh.", "2019-09-02"},
		{"Hôm nay (15/8/2022), trường khai giảng.", "2022-08-15"},
		{"Ngày 26/6, quận tổ chức hội thi. Năm 2024 có 400 mô hình.", ""}, // year in another sentence
		{"Ngày 26/6, quận tổ chức hội thi.", ""},                          // no year
		{"Quận ủy cho biết ngày 26/6/2024 sẽ tổ chức hội thi.", ""},       // a date, but not the lead's own
		{"Năm 1954, Thủ đô được giải phóng ngày 10/10.", ""},
		{"Ngày 31/2/2024, không có ngày này.", ""},
		{"", ""},
	}
	for _, tt := range tests {
		got, ok := InferDate(tt.lead, hcm)
		switch {
		case tt.want == "" && ok:
			t.Errorf("InferDate(%q) = %s, want none", tt.lead, got.Format("2006-01-02"))
		case tt.want != "" && !ok:
			t.Errorf("InferDate(%q): none, want %s", tt.lead, tt.want)
		case ok && (got.Format("2006-01-02") != tt.want || got.Location() != hcm):
			t.Errorf("InferDate(%q) = %s, want %s in the archive zone", tt.lead, got, tt.want)
		}
	}
}

func TestDateInRange(t *testing.T) {
	now := time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		t    time.Time
		want bool
	}{
		{time.Date(1899, 12, 31, 0, 0, 0, 0, time.UTC), false},
		{time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC), true},
		{now.Add(47 * time.Hour), true},
		{now.Add(49 * time.Hour), false},
		{time.Time{}, false},
	}
	for _, tt := range tests {
		if got := dateInRange(tt.t, now); got != tt.want {
			t.Errorf("dateInRange(%s) = %v, want %v", tt.t, got, tt.want)
		}
	}
}

func FuzzParseDate(f *testing.F) {
	for _, s := range []string{"2024-06-26T10:30:00+07:00", "26/6/2024", "Thứ tư, 26/6/2024, 10:30 (GMT+7)",
		"ngày 26 tháng 6 năm 2024", "1719372600000", "20240626", "Wed, 26 Jun 2024 10:30:00 +0700"} {
		f.Add(s)
	}
	hcm := mustZone(f, "Asia/Ho_Chi_Minh")
	f.Fuzz(func(t *testing.T, s string) {
		got, err := ParseDate(s, hcm)
		if err == nil {
			// Whatever was read must survive the way kho stores it.
			back, err := time.Parse(time.RFC3339Nano, got.Format(time.RFC3339Nano))
			if err != nil && got.Year() >= 0 && got.Year() <= 9999 {
				t.Fatalf("ParseDate(%q) = %v, which does not round-trip: %v", s, got, err)
			}
			if err == nil && !back.Equal(got) {
				t.Fatalf("ParseDate(%q) = %v, round-trips to %v", s, got, back)
			}
		}
		if d, ok := InferDate(s, hcm); ok && d.Location() != hcm {
			t.Fatalf("InferDate(%q) = %v, not in the archive zone", s, d)
		}
	})
}

func TestInferDateYearWords(t *testing.T) {
	hcm := mustZone(t, "Asia/Ho_Chi_Minh")
	for lead, want := range map[string]string{
		"Ngày 19/5, UBND thành phố điều chỉnh quy hoạch chung đến năm 2030, tầm nhìn đến năm 2050.": "",
		"Ngày 7/6, công an bắt giữ Nguyễn Văn A (sinh năm 1990) về hành vi trộm cắp.":               "",
		"Sáng 5/9, trường khai giảng năm học 2016-2017 với 500 học sinh.":                           "",
		"Chiều 22/6, Bộ công bố báo cáo kỳ thi THPT quốc gia năm 2017 và năm 2016.":                 "",
		"Chiều 22/6, Bộ công bố báo cáo nhanh kỳ thi THPT quốc gia năm 2017.":                       "2017-06-22",
	} {
		got, ok := InferDate(lead, hcm)
		if ok != (want != "") || (ok && got.Format("2006-01-02") != want) {
			t.Errorf("InferDate(%q) = %v %v, want %q", lead, got.Format("2006-01-02"), ok, want)
		}
	}
}
