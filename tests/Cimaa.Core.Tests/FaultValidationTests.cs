using Cimaa.Faults;

namespace Cimaa.Core.Tests;

public class FaultValidationTests
{
    [Theory]
    [InlineData("", 40, "x", "empty name")]
    [InlineData("disk", "banana", "x", "banana")]
    [InlineData("disk", -1, "x", "-1")]
    [InlineData("disk", 40.5, "x", "40.5")]
    public void Bad_faults_are_InvalidFault(string name, object severity, string message, string mentioned)
    {
        var e = Assert.Throws<CimaaException>(() => FaultValidation.Validate(["a"], [new FaultInput("a", name, severity, message, false)], null));
        Assert.Equal(ErrorIds.InvalidFault, e.ErrorId);
        Assert.Contains(mentioned, e.Message);
    }

    [Fact]
    public void Message_over_100_KB_is_rejected_and_100_KB_is_accepted()
    {
        var ok = new string('x', FaultValidation.MaxMessageBytes);
        FaultValidation.Validate(["a"], [new FaultInput("a", "n", 40, ok, false)], null);
        var e = Assert.Throws<CimaaException>(() => FaultValidation.Validate(["a"], [new FaultInput("a", "n", 40, ok + "é", false)], null));
        Assert.Equal(ErrorIds.InvalidFault, e.ErrorId);
    }

    [Theory]
    [InlineData("")]
    [InlineData("_")]
    public void Empty_or_reserved_agent_is_InvalidFault(string agent)
    {
        var e = Assert.Throws<CimaaException>(() => FaultValidation.Validate([agent], [], null));
        Assert.Equal(ErrorIds.InvalidFault, e.ErrorId);
    }

    [Fact]
    public void Duplicate_names_are_rejected()
    {
        var e = Assert.Throws<CimaaException>(() => FaultValidation.Validate(["a"],
            [new FaultInput("a", "x", 40, "", false), new FaultInput("a", "x", 30, "", false)], null));
        Assert.Contains("twice", e.Message);
    }

    [Theory]
    [InlineData(null, "deploy")]
    [InlineData("", "deploy")]
    [InlineData("deploy", "deploy")]
    [InlineData("deploy#web", "deploy#web")]
    [InlineData("web", "deploy#web")]
    [InlineData("deployment", "deploy#deployment")]
    public void Check_names_inputs(string? name, string expected)
    {
        var v = FaultValidation.Validate(["a"], [new FaultInput("a", name, 40, "", false)], "deploy");
        Assert.Equal(expected, Assert.Single(v["a"]).Name);
    }

    [Theory]
    [InlineData("critical", 50)]
    [InlineData("Warning", 30)]
    [InlineData("ERROR", 40)]
    [InlineData("ok", 0)]
    [InlineData("45", 45)]
    [InlineData(45L, 45)]
    [InlineData(30.0, 30)]
    public void Severity_accepts_integers_and_names(object input, int expected) => Assert.Equal(expected, Severities.Parse(input));

    [Theory]
    [InlineData(true, true)]
    [InlineData(false, false)]
    [InlineData("True", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("False", false)]
    [InlineData("fAlSe", false)]
    [InlineData("y", true)]
    [InlineData("Y", true)]
    [InlineData("", false)]
    [InlineData("1", true)]
    [InlineData("0", false)]
    [InlineData(1, true)]
    [InlineData(0, false)]
    [InlineData(1L, true)]
    [InlineData(0L, false)]
    [InlineData(1.0, true)]
    [InlineData(null, false)]
    public void Triggered_accepts_booleans_their_text_y_and_one_or_zero(object? input, bool expected)
    {
        var v = FaultValidation.Validate(["a"], [new FaultInput("a", "disk", 40, "", input)], null);
        Assert.Equal(expected, Assert.Single(v["a"]).Triggered);
    }

    [Theory]
    [InlineData("yes")]
    [InlineData("n")]
    [InlineData("2")]
    [InlineData("maybe")]
    [InlineData(2)]
    [InlineData(-1)]
    [InlineData(0.5)]
    public void Triggered_rejects_anything_else_as_InvalidFault(object input)
    {
        var e = Assert.Throws<CimaaException>(() => FaultValidation.Validate(["a"],
            [new FaultInput("a", "ok", 40, "", true), new FaultInput("a", "disk", 40, "", input)], null));
        Assert.Equal(ErrorIds.InvalidFault, e.ErrorId);
        Assert.Contains($"'{input}'", e.Message);
        Assert.Contains("disk", e.Message);
    }

    [Theory]
    [InlineData(0, "OK")]
    [InlineData(20, "Info")]
    [InlineData(30, "Warning")]
    [InlineData(39, "Warning")]
    [InlineData(40, "Error")]
    [InlineData(50, "Critical")]
    [InlineData(99, "Critical")]
    public void Levels(int severity, string level) => Assert.Equal(level, Severities.Level(severity));
}

public class WildcardTests
{
    [Theory]
    [InlineData("web*", "web12", true)]
    [InlineData("web*", "WEB12", false)]
    [InlineData("WEB*", "WEB12", true)]
    [InlineData("web[a-z]", "webx", true)]
    [InlineData("web[a-z]", "webX", false)]
    [InlineData("w?b1", "WEB1", false)]
    [InlineData("web?", "web1", true)]
    [InlineData("web?", "web12", false)]
    [InlineData("web[12]", "web2", true)]
    [InlineData("web[12]", "web3", false)]
    [InlineData("a`*b", "a*b", true)]
    [InlineData("a`*b", "axb", false)]
    [InlineData("a.b", "axb", false)]
    [InlineData("exact", "exact", true)]
    [InlineData("exact", "EXACT", false)]
    [InlineData("a`*B", "a*b", false)]
    public void Matches_like_PowerShell_but_case_sensitively(string pattern, string text, bool expected) => Assert.Equal(expected, new Wildcard(pattern).IsMatch(text));
}
