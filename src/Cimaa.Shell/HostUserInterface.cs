using System.Collections.ObjectModel;
using System.Management.Automation;
using System.Management.Automation.Host;
using System.Security;

namespace Cimaa.Shell;

/// <summary>Writes host output as plain text. Prompts are answered only when the host is interactive.</summary>
internal sealed partial class HostUserInterface(TextWriter output, TextWriter error, int width, bool interactive, bool plainText)
    : PSHostUserInterface
{
    private readonly RawUserInterface _raw = new(width);

    public override PSHostRawUserInterface RawUI => _raw;

    public override void Write(string value) => output.Write(Plain(value));
    public override void Write(ConsoleColor foregroundColor, ConsoleColor backgroundColor, string value) => output.Write(Plain(value));
    public override void WriteLine(string value) => output.WriteLine(Plain(value));
    public override void WriteErrorLine(string value) => error.WriteLine(Plain(value));
    public override void WriteDebugLine(string message) => error.WriteLine("DEBUG: " + Plain(message));
    public override void WriteVerboseLine(string message) => error.WriteLine("VERBOSE: " + Plain(message));
    public override void WriteWarningLine(string message) => error.WriteLine("WARNING: " + Plain(message));

    /// <summary>Drops ANSI escape sequences when the output is not a terminal.</summary>
    private string Plain(string value) => plainText && value.Contains('\u001b') ? AnsiEscape().Replace(value, "") : value;

    [System.Text.RegularExpressions.GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]")]
    private static partial System.Text.RegularExpressions.Regex AnsiEscape();
    public override void WriteProgress(long sourceId, ProgressRecord record) { }

    public override string ReadLine() => interactive ? Console.ReadLine() ?? "" : throw NotInteractive();

    public override SecureString ReadLineAsSecureString()
    {
        var secure = new SecureString();
        foreach (var c in ReadLine()) secure.AppendChar(c);
        secure.MakeReadOnly();
        return secure;
    }

    public override Dictionary<string, PSObject> Prompt(string caption, string message, Collection<FieldDescription> descriptions)
    {
        if (!interactive) throw NotInteractive();
        var result = new Dictionary<string, PSObject>();
        foreach (var d in descriptions)
        {
            output.Write($"{d.Name}: ");
            result[d.Name] = PSObject.AsPSObject(ReadLine());
        }
        return result;
    }

    public override int PromptForChoice(string caption, string message, Collection<ChoiceDescription> choices, int defaultChoice)
    {
        if (!interactive) throw NotInteractive();
        output.WriteLine(caption);
        output.WriteLine(message);
        for (var i = 0; i < choices.Count; i++) output.WriteLine($"[{i}] {choices[i].Label.Replace("&", "")}");
        output.Write($"Choice (default {defaultChoice}): ");
        return int.TryParse(ReadLine(), out var choice) && choice >= 0 && choice < choices.Count ? choice : defaultChoice;
    }

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName) =>
        PromptForCredential(caption, message, userName, targetName, PSCredentialTypes.Default, PSCredentialUIOptions.Default);

    public override PSCredential PromptForCredential(string caption, string message, string userName, string targetName,
        PSCredentialTypes allowedCredentialTypes, PSCredentialUIOptions options)
    {
        if (!interactive) throw NotInteractive();
        output.Write("User: ");
        var user = string.IsNullOrEmpty(userName) ? ReadLine() : userName;
        output.Write("Password: ");
        return new PSCredential(user, ReadLineAsSecureString());
    }

    private static PSInvalidOperationException NotInteractive() =>
        new("The host is not interactive: pass -Confirm:$false, or give every mandatory parameter.");
}

internal sealed class RawUserInterface(int width) : PSHostRawUserInterface
{
    public override ConsoleColor BackgroundColor { get; set; } = ConsoleColor.Black;
    public override ConsoleColor ForegroundColor { get; set; } = ConsoleColor.Gray;
    public override Size BufferSize { get; set; } = new(width, 9999);
    public override Coordinates CursorPosition { get; set; }
    public override int CursorSize { get; set; }
    public override bool KeyAvailable => false;
    public override Size MaxPhysicalWindowSize => new(width, 100);
    public override Size MaxWindowSize => new(width, 100);
    public override Coordinates WindowPosition { get; set; }
    public override Size WindowSize { get; set; } = new(width, 100);
    public override string WindowTitle { get; set; } = "Cimaa";

    public override void FlushInputBuffer() { }
    public override BufferCell[,] GetBufferContents(Rectangle rectangle) => throw new NotSupportedException();
    public override KeyInfo ReadKey(ReadKeyOptions options) => throw new NotSupportedException();
    public override void ScrollBufferContents(Rectangle source, Coordinates destination, Rectangle clip, BufferCell fill) => throw new NotSupportedException();
    public override void SetBufferContents(Coordinates origin, BufferCell[,] contents) => throw new NotSupportedException();
    public override void SetBufferContents(Rectangle rectangle, BufferCell fill) => throw new NotSupportedException();
}
