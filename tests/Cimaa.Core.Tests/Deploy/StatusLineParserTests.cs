using System.Text;
using Cimaa.Deploy;

namespace Cimaa.Core.Tests.Deploy;

public class StatusLineParserTests
{
    private static StatusLine Valid(string text)
    {
        var parse = StatusLineParser.Parse(Encoding.UTF8.GetBytes(text));
        Assert.True(parse.Ok, parse.Problem);
        Assert.Null(parse.Problem);
        return parse.Line!;
    }

    private static string Problem(byte[] content)
    {
        var parse = StatusLineParser.Parse(content);
        Assert.Null(parse.Line);
        Assert.NotNull(parse.Problem);
        return parse.Problem!;
    }

    private static string Problem(string text) => Problem(Encoding.UTF8.GetBytes(text));

    [Fact]
    public void Parses_the_four_fields_with_a_fractional_time_and_a_status_with_spaces()
    {
        var line = Valid("1418160088.25 42 1.2.3 installing foo\n");
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1418160088250), line.Time);
        Assert.Equal(TimeSpan.Zero, line.Time.Offset);
        Assert.Equal(42, line.Pid);
        Assert.Equal("1.2.3", line.Version);
        Assert.Equal("installing foo", line.Status);
    }

    [Fact]
    public void Keeps_the_status_as_written_inside_and_trims_its_ends()
    {
        Assert.Equal("running  deploy\tscript x", Valid("  1418160088\t7   v1   running  deploy\tscript x  \r\n").Status);
    }

    [Theory]
    [InlineData("1418160088 1 v done", 1418160088_0000000L)]
    [InlineData("1418160088.5 1 v done", 1418160088_5000000L)]
    [InlineData("1418160088.1234567 1 v done", 1418160088_1234567L)]
    [InlineData("1.418160088e9 1 v done", 1418160088_0000000L)]
    [InlineData("0 1 v done", 0L)]
    [InlineData("-1.5 1 v done", -1_5000000L)]
    public void Time_is_epoch_seconds_to_the_tick(string text, long ticksSinceEpoch)
    {
        Assert.Equal(DateTimeOffset.UnixEpoch.AddTicks(ticksSinceEpoch), Valid(text).Time);
    }

    [Fact]
    public void A_utf8_byte_order_mark_is_ignored()
    {
        var bytes = new byte[] { 0xEF, 0xBB, 0xBF }.Concat(Encoding.UTF8.GetBytes("1 2 v done")).ToArray();
        Assert.Equal("v", StatusLineParser.Parse(bytes).Line!.Version);
    }

    [Fact]
    public void Non_ascii_text_is_fine() => Assert.Equal("déploiement ✓", Valid("1 2 v déploiement ✓").Status);

    [Theory]
    [InlineData("")]
    [InlineData(" \n\t\r\n ")]
    public void An_empty_file_is_malformed(string text) => Assert.Equal("file is empty", Problem(text));

    [Theory]
    [InlineData("1418160088", 1)]
    [InlineData("1418160088 42", 2)]
    [InlineData("1418160088 42 1.2.3\n", 3)]
    public void Too_few_fields_are_malformed(string text, int found)
    {
        Assert.Equal($"expected '<time> <pid> <version> <status>', found {found} field{(found == 1 ? "" : "s")}", Problem(text));
    }

    [Theory]
    [InlineData("abc")]
    [InlineData("nan")]
    [InlineData("12:00")]
    [InlineData("1,5")]
    [InlineData("0x10")]
    public void A_time_that_is_not_a_number_is_malformed(string time)
    {
        Assert.Equal($"time '{time}' is not a number", Problem($"{time} 42 1 done"));
    }

    [Theory]
    [InlineData("1e30")]
    [InlineData("253402300800")]
    [InlineData("-62135596801")]
    [InlineData("Infinity")]
    public void A_time_outside_the_calendar_is_malformed(string time)
    {
        Assert.Equal($"time '{time}' is out of range", Problem($"{time} 42 1 done"));
    }

    [Theory]
    [InlineData("4x2")]
    [InlineData("4.2")]
    [InlineData("99999999999")]
    [InlineData("-")]
    public void A_pid_that_is_not_an_integer_is_malformed(string pid)
    {
        Assert.Equal($"pid '{pid}' is not an integer", Problem($"1418160088 {pid} 1 done"));
    }

    [Fact]
    public void Binary_junk_is_malformed()
    {
        Assert.Equal("content holds binary data (U+0000 at character 2)", Problem([0x31, 0x20, 0x00, 0x20, 0x76, 0x20, 0x64]));
        Assert.Equal("content holds binary data (U+001B at character 0)", Problem("\u001b[31m1 2 v done"));
    }

    [Fact]
    public void Bytes_that_are_not_utf8_are_malformed()
    {
        Assert.Equal("content is not UTF-8 text", Problem([0x31, 0x20, 0x32, 0x20, 0xFF, 0xFE, 0x20, 0x64]));
    }

    [Fact]
    public void More_than_one_line_is_malformed()
    {
        Assert.Equal("more than one line", Problem("1 2 v done\n3 4 v error\n"));
        Assert.Equal("more than one line", Problem("1 2 v installing\rfoo"));
    }

    [Fact]
    public void A_file_over_64_KB_is_malformed_and_64_KB_is_not()
    {
        var head = "1418160088 42 1.2.3 ";
        var exactly = head + new string('x', StatusFile.MaxBytes - head.Length);
        Assert.Equal(StatusFile.MaxBytes, Encoding.UTF8.GetByteCount(exactly));
        Assert.Equal(StatusFile.MaxBytes - head.Length, Valid(exactly).Status.Length);
        Assert.Equal("file is larger than 65536 bytes", Problem(exactly + "x"));
    }

    [Fact]
    public void Long_fields_are_cut_short_in_the_message()
    {
        var time = new string('9', 30) + new string('z', 30);
        Assert.Equal($"time '{time[..40]}...' is not a number", Problem($"{time} 1 v done"));
    }
}
