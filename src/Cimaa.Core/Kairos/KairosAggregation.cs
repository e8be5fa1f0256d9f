using Cimaa.Metrics;

namespace Cimaa.Kairos;

/// <summary>
/// KairosDB's aggregators as pure functions over one group's numeric points in time order, applied in the order given.
/// The definitions are in docs/design.md ("Server: signing and wire format").
/// <list type="bullet">
/// <item>Range aggregators (avg, sum, min, max, count, dev, first, last) reduce the points into windows of
/// <see cref="KairosAggregator.SamplingMs"/>: multiples of it from the epoch when align_sampling is true, else from the query's
/// start. A non-empty window gives one point, stamped at the window's start (align_start_time), its end (align_end_time), or
/// else at its first point's time (its last point's time for <c>last</c>), as KairosDB does.</item>
/// <item>rate: for consecutive distinct timestamps t0 &lt; t1 (values at one timestamp summed), (v1 - v0) / (t1 - t0) per
/// SamplingMs milliseconds, stamped t1; the first timestamp gives no point.</item>
/// </list>
/// </summary>
public static class KairosAggregation
{
    public static IEnumerable<Sample> Apply(IEnumerable<Sample> points, IReadOnlyList<KairosAggregator> aggregators, long queryStartMs)
    {
        var chain = new AggregatorChain(aggregators, queryStartMs);
        var output = new List<Sample>();
        foreach (var p in points)
        {
            chain.Push(p, output);
            foreach (var o in output) yield return o;
            output.Clear();
        }
        chain.Complete(output);
        foreach (var o in output) yield return o;
    }
}

/// <summary>A push-based chain of aggregators: each point goes in, finished points come out; Complete flushes the open windows.</summary>
public sealed class AggregatorChain
{
    private readonly IStage[] _stages;
    private readonly List<Sample>[] _buffers;

    public AggregatorChain(IReadOnlyList<KairosAggregator> aggregators, long queryStartMs)
    {
        _stages = aggregators.Select(a => a.Name == KairosAggregatorName.Rate ? (IStage)new RateStage(a.SamplingMs) : new RangeStage(a, queryStartMs))
            .ToArray();
        _buffers = _stages.Select(_ => new List<Sample>()).ToArray();
    }

    public void Push(Sample point, List<Sample> output) => Feed(0, point, output);

    public void Complete(List<Sample> output)
    {
        for (var k = 0; k < _stages.Length; k++)
        {
            var flushed = new List<Sample>();
            _stages[k].Complete(flushed);
            foreach (var p in flushed) Feed(k + 1, p, output);
        }
    }

    private void Feed(int k, Sample point, List<Sample> output)
    {
        if (k == _stages.Length)
        {
            output.Add(point);
            return;
        }
        var buffer = _buffers[k];
        buffer.Clear();
        _stages[k].Push(point, buffer);
        foreach (var p in buffer) Feed(k + 1, p, output);
    }

    private interface IStage
    {
        void Push(Sample point, List<Sample> output);
        void Complete(List<Sample> output);
    }

    private sealed class RangeStage(KairosAggregator a, long queryStartMs) : IStage
    {
        private readonly long _origin = a.AlignSampling ? 0 : queryStartMs;
        private readonly List<decimal>? _values = a.Name == KairosAggregatorName.Dev ? [] : null;
        private bool _open;
        private long _start, _count, _firstTime, _lastTime;
        private decimal _sum, _min, _max, _first, _last;

        public void Push(Sample point, List<Sample> output)
        {
            var window = _origin + FloorDiv(point.Time - _origin, a.SamplingMs) * a.SamplingMs;
            if (_open && window != _start) Complete(output);
            if (!_open)
            {
                _open = true;
                _start = window;
                _count = 0;
                _sum = 0;
                _min = _max = _first = point.Value;
                _firstTime = point.Time;
                _values?.Clear();
            }
            _count++;
            _sum += point.Value;
            if (point.Value < _min) _min = point.Value;
            if (point.Value > _max) _max = point.Value;
            _last = point.Value;
            _lastTime = point.Time;
            _values?.Add(point.Value);
        }

        public void Complete(List<Sample> output)
        {
            if (!_open) return;
            _open = false;
            var time = a.AlignEndTime ? _start + a.SamplingMs
                : a.AlignStartTime ? _start
                : a.Name == KairosAggregatorName.Last ? _lastTime : _firstTime;
            output.Add(new Sample(time, a.Name switch
            {
                KairosAggregatorName.Avg => _sum / _count,
                KairosAggregatorName.Sum => _sum,
                KairosAggregatorName.Min => _min,
                KairosAggregatorName.Max => _max,
                KairosAggregatorName.Count => _count,
                KairosAggregatorName.Dev => MetricMath.SampleStandardDeviation(_values!),
                KairosAggregatorName.First => _first,
                KairosAggregatorName.Last => _last,
                _ => throw new InvalidOperationException($"{a.Name} is not a range aggregator."),
            }));
        }

        private static long FloorDiv(long a, long b) => a / b - (a % b < 0 ? 1 : 0);
    }

    private sealed class RateStage(long unitMs) : IStage
    {
        private bool _hasPrevious, _hasCurrent;
        private long _previousTime, _currentTime;
        private decimal _previousSum, _currentSum;

        public void Push(Sample point, List<Sample> output)
        {
            if (_hasCurrent && point.Time == _currentTime)
            {
                _currentSum += point.Value;
                return;
            }
            Complete(output);
            _hasCurrent = true;
            _currentTime = point.Time;
            _currentSum = point.Value;
        }

        public void Complete(List<Sample> output)
        {
            if (!_hasCurrent) return;
            if (_hasPrevious)
                output.Add(new Sample(_currentTime, (_currentSum - _previousSum) * unitMs / (_currentTime - _previousTime)));
            _hasPrevious = true;
            _previousTime = _currentTime;
            _previousSum = _currentSum;
            _hasCurrent = false;
        }
    }
}
