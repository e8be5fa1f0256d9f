using System.Collections;
using System.Collections.Specialized;
using System.Management.Automation;
using System.Management.Automation.Internal;
using System.Reflection;

namespace Cimaa.PowerShell.Tests;

/// <summary>
/// The one unwrapper of PowerShell values (the module's internal PSValues.Unwrap), fed values made by real scripts: what
/// Set-CimaaConfig -Value, Write-CimaaMetric -Value and -Tags, Set-CimaaFault -Severity and the transformations hand to Core.
/// </summary>
public class PSValuesTests
{
    private static readonly Lazy<MethodInfo> UnwrapMethod = new(() =>
    {
        Ps.Run("1").ThrowIfFailed(); // imports the module into this process
        var type = AppDomain.CurrentDomain.GetAssemblies().Single(a => a.GetName().Name == "Cimaa.PowerShell")
            .GetType("Cimaa.PowerShell.PSValues", throwOnError: true)!;
        return type.GetMethod("Unwrap", BindingFlags.Public | BindingFlags.Static, [typeof(object)])!;
    });

    private static object? Unwrap(object? value) => UnwrapMethod.Value.Invoke(null, [value]);

    /// <summary>The value a script expression gives, as PowerShell hands it to a cmdlet (wrapped in a PSObject).</summary>
    private static PSObject Script(string expression) => Ps.Run($",({expression})").ThrowIfFailed().Output.Single();

    [Fact]
    public void A_pscustomobject_becomes_an_ordered_map_of_its_properties_to_any_depth()
    {
        var map = Assert.IsType<OrderedDictionary>(Unwrap(Script("[pscustomobject]@{ b = 1; a = [pscustomobject]@{ c = 'x' }; d = @(1, 'y') }")));
        Assert.Equal(["b", "a", "d"], map.Keys.Cast<string>());
        Assert.Equal(1, map["b"]);
        Assert.Equal("x", Assert.IsType<OrderedDictionary>(map["a"])["c"]);
        Assert.Equal(new object?[] { 1, "y" }, Assert.IsType<object?[]>(map["d"]));
    }

    [Fact]
    public void Dictionaries_become_ordered_maps_and_collections_arrays_with_no_PSObject_left()
    {
        var map = Assert.IsType<OrderedDictionary>(Unwrap(Script("@{ list = [System.Collections.ArrayList]@(1, @{ k = [pscustomobject]@{ n = 2 } }) }")));
        var list = Assert.IsType<object?[]>(map["list"]);
        var inner = Assert.IsType<OrderedDictionary>(Assert.IsType<OrderedDictionary>(list[1])["k"]);
        Assert.Equal(2, inner["n"]);
        Assert.DoesNotContain(Flatten(map), v => v is PSObject);
    }

    [Fact]
    public void Scalars_strings_and_byte_arrays_stay_whole()
    {
        Assert.Equal(42, Unwrap(Script("42")));
        Assert.Equal("text", Unwrap(Script("'text'")));
        var bytes = Script("[byte[]](1, 2, 3)");
        Assert.Same(bytes.BaseObject, Unwrap(bytes));
        var when = new DateTimeOffset(2026, 11, 23, 12, 0, 0, TimeSpan.Zero);
        Assert.Equal(when, Unwrap(PSObject.AsPSObject(when)));
    }

    [Fact]
    public void Null_and_AutomationNull_are_null()
    {
        Assert.Null(Unwrap(null));
        Assert.Null(Unwrap(AutomationNull.Value));
        Assert.Null(Assert.IsType<OrderedDictionary>(Unwrap(Script("@{ a = $null }")))["a"]);
    }

    [Fact]
    public void Past_64_levels_a_value_is_handed_on_as_it_is()
    {
        object value = new Hashtable { ["leaf"] = 1 };
        for (var i = 0; i < 70; i++) value = new object[] { value };
        var current = Unwrap(value);
        for (var depth = 0; depth < 64; depth++)
        {
            Assert.NotSame(Dig(value, depth), current); // copied, level by level
            current = Assert.IsType<object?[]>(current)[0];
        }
        Assert.Same(Dig(value, 64), current); // from level 64 on, the original
    }

    private static object? Dig(object value, int levels)
    {
        object? current = value;
        for (var i = 0; i < levels; i++) current = ((object[])current!)[0];
        return current;
    }

    private static IEnumerable<object?> Flatten(object? value) => value switch
    {
        IDictionary d => d.Values.Cast<object?>().SelectMany(Flatten).Prepend(value),
        object?[] a => a.SelectMany(Flatten).Prepend(value),
        _ => [value],
    };
}
