using System.Text;
using Cimaa.Deploy;
using Cimaa.Testing;

namespace Cimaa.Core.Tests.Deploy;

public class StatusFileTests
{
    [Fact]
    public void Reads_the_bytes_of_a_file()
    {
        using var dir = new TempDir();
        File.WriteAllText(dir.File("status"), "1418160088.25 42 1.2.3 done\n");
        var read = StatusFile.Read(dir.File("status"));
        Assert.Null(read.Error);
        Assert.Equal("1418160088.25 42 1.2.3 done\n", Encoding.UTF8.GetString(read.Content!));
    }

    [Fact]
    public void A_missing_file_or_folder_is_no_such_file()
    {
        using var dir = new TempDir();
        Assert.Equal("No such file or directory", StatusFile.Read(dir.File("status")).Error);
        Assert.Equal("No such file or directory", StatusFile.Read(Path.Combine(dir.Path, "nope", "status")).Error);
    }

    [Fact]
    public void A_directory_is_not_a_status_file()
    {
        using var dir = new TempDir();
        var read = StatusFile.Read(dir.Path);
        Assert.Null(read.Content);
        Assert.Equal("Is a directory", read.Error);
    }

    [Fact]
    public void Reads_no_more_than_64_KB_and_one_byte()
    {
        using var dir = new TempDir();
        File.WriteAllBytes(dir.File("big"), new byte[1024 * 1024]);
        Assert.Equal(StatusFile.MaxBytes + 1, StatusFile.Read(dir.File("big")).Content!.Length);
    }

    [Fact]
    public void Check_reads_and_evaluates()
    {
        using var dir = new TempDir();
        var now = DateTimeOffset.FromUnixTimeSeconds(1418160100);
        File.WriteAllText(dir.File("status"), "1418160088.25 42 1.2.3 installing foo\n");
        var s = DeployStatusEvaluator.Check(dir.File("status"), now, DeployThresholds.Default, ClusterVersionInput.NotConfigured);
        Assert.Equal(("OK", "installing foo", 42), (s.State, s.Message, s.Pid));
        Assert.Equal(TimeSpan.FromSeconds(11.75), s.Age);
        File.WriteAllBytes(dir.File("status"), new byte[StatusFile.MaxBytes + 10]);
        s = DeployStatusEvaluator.Check(dir.File("status"), now, DeployThresholds.Default, ClusterVersionInput.NotConfigured);
        Assert.Equal(("UNKNOWN", $"Malformed status file {dir.File("status")}: file is larger than 65536 bytes"), (s.State, s.Message));
    }
}
