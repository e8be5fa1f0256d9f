using System.Text.RegularExpressions;

namespace Cimaa.HelpGen;

internal enum BlockKind { Heading, Paragraph, Code }

/// <summary>
/// A block of a markdown page: a heading (<see cref="Level"/> and text), a paragraph (its wrapped lines
/// joined with a space) or a fenced code block (<see cref="Info"/> is the text after the fence).
/// <see cref="Line"/> is the 1-based line where the block starts.
/// </summary>
internal sealed record Block(BlockKind Kind, int Line, string Text, int Level = 0, string Info = "");

/// <summary>Splits markdown into the few block kinds PlatyPS pages use.</summary>
internal static partial class MarkdownBlocks
{
    [GeneratedRegex(@"^(#{1,6})\s+(.*?)\s*$")]
    private static partial Regex HeadingRegex();

    public static List<Block> Parse(IReadOnlyList<string> lines, int start)
    {
        var blocks = new List<Block>();
        var paragraph = new List<string>();
        int paragraphLine = 0;

        void Flush()
        {
            if (paragraph.Count == 0) return;
            blocks.Add(new Block(BlockKind.Paragraph, paragraphLine, string.Join(' ', paragraph)));
            paragraph.Clear();
        }

        for (int i = start; i < lines.Count; i++)
        {
            string trimmed = lines[i].Trim();
            if (trimmed.Length == 0)
            {
                Flush();
                continue;
            }

            int fence = FenceLength(trimmed);
            if (fence > 0)
            {
                Flush();
                int open = i;
                var body = new List<string>();
                for (i++; i < lines.Count && !IsClosingFence(lines[i], fence); i++) body.Add(lines[i]);
                if (i == lines.Count) throw new HelpFormatException(open + 1, "code block is not closed");
                blocks.Add(new Block(BlockKind.Code, open + 1, string.Join('\n', body), Info: trimmed[fence..].Trim()));
                continue;
            }

            var heading = HeadingRegex().Match(trimmed);
            if (heading.Success)
            {
                Flush();
                blocks.Add(new Block(BlockKind.Heading, i + 1, heading.Groups[2].Value, heading.Groups[1].Length));
                continue;
            }

            if (paragraph.Count == 0) paragraphLine = i + 1;
            paragraph.Add(trimmed);
        }
        Flush();
        return blocks;
    }

    /// <summary>The number of backticks opening a fence (at least 3), or 0.</summary>
    private static int FenceLength(string trimmed)
    {
        int n = 0;
        while (n < trimmed.Length && trimmed[n] == '`') n++;
        return n >= 3 ? n : 0;
    }

    private static bool IsClosingFence(string line, int openLength)
    {
        string trimmed = line.Trim();
        return trimmed.Length >= openLength && trimmed.All(c => c == '`');
    }
}
