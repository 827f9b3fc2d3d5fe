import { describe, expect, it } from "vitest";
import { accessLogFormatError } from "./access-log-format.js";

describe("accessLogFormatError", () => {
  it.each([
    "",
    "text without Envoy command operators",
    "%START_TIME% %KUMA_SOURCE_SERVICE%",
    "%KUMA_SOURCE_ADDRESS% %KUMA_SOURCE_ADDRESS_WITHOUT_PORT% %KUMA_SOURCE_SERVICE% %KUMA_DESTINATION_SERVICE%",
    '[%START_TIME%] "%REQ(:METHOD)% %REQ(X-ENVOY-ORIGINAL-PATH?:PATH)% %PROTOCOL%" %RESPONSE_CODE% %RESPONSE_FLAGS% %BYTES_RECEIVED% %BYTES_SENT% %DURATION% %RESP(X-ENVOY-UPSTREAM-SERVICE-TIME)% "%REQ(X-FORWARDED-FOR)%" "%REQ(USER-AGENT)%" "%REQ(X-REQUEST-ID)%" "%REQ(:AUTHORITY)%"',
    "%START_TIME(%Y/%m/%dT%H:%M:%S%z %s)%",
    "%START_TIME:10%",
    "%REQ()% %REQ():10% %RESP(server):3% %TRAILER(grpc-status?grpc-message):1%",
    "%DYNAMIC_METADATA()% %DYNAMIC_METADATA(com.test.my_filter:test_object:inner_key):10%",
    "%FILTER_STATE(filter.state.key):5%",
    "multi\nline\n%BYTES_SENT%\n",
    "%UNKNOWN_BUT_WELL_FORMED%",
  ])("accepts %j", (format) => {
    expect(accessLogFormatError(format)).toBeUndefined();
  });

  it.each([
    ["%START_TIME% %sent_bytes%", 'expected a command operator to start at position 14, instead got: "%sent_bytes%"'],
    ["text with % character", 'expected a command operator to start at position 11, instead got: "% character"'],
    ["%START_TIME(%", 'expected a command operator to start at position 1, instead got: "%START_TIME(%"'],
    ["ż %x\n", 'expected a command operator to start at position 4, instead got: "%x\\n"'],
    [
      "%BYTES_RECEIVED()%",
      'command "%BYTES_RECEIVED%" doesn\'t support arguments or max length constraint, instead got "%BYTES_RECEIVED()%"',
    ],
    [
      "%KUMA_SOURCE_SERVICE:10%",
      'command "%KUMA_SOURCE_SERVICE%" doesn\'t support arguments or max length constraint, instead got "%KUMA_SOURCE_SERVICE:10%"',
    ],
    [
      "%REQ%",
      'command "%REQ(X?Y):Z%" requires a header and optional alternative header names as its arguments, instead got "%REQ%"',
    ],
    [
      "%RESP:10%",
      'command "%RESP(X?Y):Z%" requires a header and optional alternative header names as its arguments, instead got "%RESP:10%"',
    ],
    [
      "%TRAILER%",
      'command "%TRAILER(X?Y):Z%" requires a header and optional alternative header names as its arguments, instead got "%TRAILER%"',
    ],
    [
      "%REQ(header-1?header-2?header-3):10%",
      'more than 1 alternative header specified in "%REQ(header-1?header-2?header-3):10%"',
    ],
    ["%REQ(header-1\n?header-2)%", 'header name contains a newline in "%REQ(header-1\\n?header-2)%"'],
    ["%RESP(header-1\x00)%", 'header name contains a newline in "%RESP(header-1\\x00)%"'],
    [
      "%DYNAMIC_METADATA:10%",
      'command "%DYNAMIC_METADATA(NAMESPACE:KEY*):Z%" requires a filter namespace and optional path as its arguments, instead got "%DYNAMIC_METADATA:10%"',
    ],
    [
      "%FILTER_STATE()%",
      'command "%FILTER_STATE(KEY):Z%" requires a key as its argument, instead got "%FILTER_STATE()%"',
    ],
    [
      "%FILTER_STATE%",
      'command "%FILTER_STATE(KEY):Z%" requires a key as its argument, instead got "%FILTER_STATE%"',
    ],
    ["%START_TIME(%Y%n)%", 'start time format string contains a newline in "%START_TIME(%Y%n)%"'],
    [
      "%REQ(x):99999999999999999999%",
      'length must be an integer, instead got "99999999999999999999" in "%REQ(x):99999999999999999999%"',
    ],
  ])("rejects %j", (format, reason) => {
    expect(accessLogFormatError(format)).toBe(reason);
  });

  it("reports only the first problem", () => {
    expect(accessLogFormatError("%REQ% %bad%")).toBe(
      'command "%REQ(X?Y):Z%" requires a header and optional alternative header names as its arguments, instead got "%REQ%"',
    );
  });
});
