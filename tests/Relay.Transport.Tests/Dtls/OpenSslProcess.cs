using System.Diagnostics;
using System.Text;

namespace Relay.Transport.Tests.Dtls;

/// <summary>
/// The <c>openssl</c> command-line tool as an independent DTLS peer. Its output is collected as it
/// comes; disposing kills it if it is still running, so no test leaves one behind.
/// </summary>
internal sealed class OpenSslProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private readonly Lock _lock = new();

    private OpenSslProcess(IEnumerable<string> arguments)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        _process = new Process { StartInfo = start };
        _process.OutputDataReceived += (_, e) => Append(e.Data);
        _process.ErrorDataReceived += (_, e) => Append(e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
    }

    public string Output
    {
        get
        {
            lock (_lock)
            {
                return _output.ToString();
            }
        }
    }

    public bool HasExited => _process.HasExited;

    public static OpenSslProcess Start(params string[] arguments) => new(arguments);

    public bool Contains(string text) => Output.Contains(text, StringComparison.Ordinal);

    /// <summary>Waits (without a transport loop) until the output holds <paramref name="text"/>.</summary>
    public bool WaitFor(string text, TimeSpan limit)
    {
        var clock = Stopwatch.StartNew();
        while (!Contains(text))
        {
            if (_process.HasExited)
            {
                // Without a timeout this also waits for the redirected output to be read to its end.
                _process.WaitForExit();
                return Contains(text);
            }

            if (clock.Elapsed > limit)
            {
                return false;
            }

            Thread.Sleep(10);
        }

        return true;
    }

    /// <summary>The value after "<paramref name="prefix"/>" on the first line that has it, trimmed; null if none.</summary>
    public string? ValueAfter(string prefix)
    {
        foreach (string line in Output.Split('\n'))
        {
            int at = line.IndexOf(prefix, StringComparison.Ordinal);
            if (at >= 0)
            {
                return line[(at + prefix.Length)..].Trim();
            }
        }

        return null;
    }

    /// <summary>Ends the tool's standard input, which makes s_client and s_server close the connection.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            _process.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_lock)
        {
            _output.AppendLine(line);
        }
    }
}
