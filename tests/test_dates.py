from atlas import dates


def test_partial_dates_cover_their_whole_period():
    assert dates.parse("1945").isoformat() == "1945-01-01"
    assert dates.parse("1945", last=True).isoformat() == "1945-12-31"
    assert dates.parse("1944-02", last=True).isoformat() == "1944-02-29"
    assert dates.parse("1945-08-09", last=True).isoformat() == "1945-08-09"


def test_readable_dates_do_not_depend_on_a_clock():
    assert dates.readable("1945-08-09") == "9 August 1945"
    assert dates.readable("1904-02") == "February 1904"
    assert dates.readable_range("1938-07-29", "1938-08-11") == "29 July - 11 August 1938"
    assert dates.readable_range("1904-02-08", "1904-02-09") == "8-9 February 1904"
    assert dates.readable_range("1904-12-26", "1905-01-02") == "26 December 1904 - 2 January 1905"
    assert dates.readable_range("1945-08", "1945-09") == "August - September 1945"
    assert dates.readable_range("1945-08-09", "1945-08") == "9 August 1945 - August 1945"
    assert dates.readable_range("1904", "1905") == "1904 - 1905"


def test_bad_dates_are_rejected_with_the_expected_form():
    for text in ("1945-8-9", "1945-02-30", "45", "1945-13", 1945):
        try:
            dates.parse(text)
        except dates.DateError as err:
            assert "expected YYYY, YYYY-MM or YYYY-MM-DD" in str(err)
        else:
            raise AssertionError(f"{text!r} was accepted")


def test_a_route_vertex_is_drawn_with_the_next_dated_vertex():
    assert dates.vertex_days(["1945-08-11", None, None, "1945-08-24", "1945-08-25"]) == [
        "1945-08-11", "1945-08-24", "1945-08-24", "1945-08-24", "1945-08-25"]
    assert dates.vertex_days(["1945-08-11", "1945-08-12"]) == ["1945-08-11", "1945-08-12"]
