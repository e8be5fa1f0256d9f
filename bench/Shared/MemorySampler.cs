using System.Diagnostics;

namespace Cimaa.Bench;

/// <summary>
/// The peak growth of the managed heap and of the working set over a warmed process while a step runs: a full GC first, then
/// a thread of its own samples both every 5 ms until <see cref="Stop"/>.
/// </summary>
public sealed class MemorySampler : IDisposable
{
    private readonly Process _me = Process.GetCurrentProcess();
    private readonly ManualResetEventSlim _done = new();
    private readonly Thread _thread;
    private readonly long _heap0, _ws0;
    private long _heapPeak, _wsPeak;

    private MemorySampler()
    {
        _me.Refresh();
        _heap0 = _heapPeak = GC.GetTotalMemory(false);
        _ws0 = _wsPeak = _me.WorkingSet64;
        _thread = new Thread(Sample) { IsBackground = true };
        _thread.Start();
    }

    public static MemorySampler Start()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return new MemorySampler();
    }

    /// <summary>Stops sampling; the growths in MB (peak minus the start).</summary>
    public (double HeapMb, double WorkingSetMb) Stop()
    {
        _done.Set();
        _thread.Join();
        return ((_heapPeak - _heap0) / 1048576.0, (_wsPeak - _ws0) / 1048576.0);
    }

    public void Dispose()
    {
        if (!_done.IsSet) Stop();
        _done.Dispose();
        _me.Dispose();
    }

    private void Sample()
    {
        while (!_done.IsSet)
        {
            _heapPeak = Math.Max(_heapPeak, GC.GetTotalMemory(false));
            _me.Refresh();
            _wsPeak = Math.Max(_wsPeak, _me.WorkingSet64);
            Thread.Sleep(5);
        }
    }
}
