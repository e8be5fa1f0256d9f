using Cimaa.AccessKeys;

namespace Cimaa.Core.Tests.AccessKeys;

public class PermissionTests
{
    [Theory]
    [InlineData("web:r", "web:r")]
    [InlineData("web:w", "web:w")]
    [InlineData("web:rw", "web:r,web:w")]
    [InlineData("Web.prod-1_x:RW", "Web.prod-1_x:r,Web.prod-1_x:w")]
    [InlineData("*:r", "*:r")]
    [InlineData("status:r", "status:r")]
    public void Valid_permissions_parse_and_rw_is_two(string text, string stored)
    {
        Assert.Equal(stored, string.Join(",", Permission.Parse(text).Select(p => p.ToString())));
    }

    [Fact]
    public void A_64_character_domain_is_the_longest()
    {
        Assert.Single(Permission.Parse(new string('d', 64) + ":r"));
        Assert.Throws<CimaaException>(() => Permission.Parse(new string('d', 65) + ":r"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("web")]
    [InlineData("web:")]
    [InlineData(":r")]
    [InlineData("web:x")]
    [InlineData("web:rwx")]
    [InlineData("web:wr")]
    [InlineData("we b:r")]
    [InlineData("web|x:r")]
    [InlineData("web/x:r")]
    [InlineData("a:b:r")]
    [InlineData("**:r")]
    [InlineData("web:r ")]
    [InlineData("wéb:r")]
    public void Anything_else_is_InvalidPermission(string? text)
    {
        var e = Assert.Throws<CimaaException>(() => Permission.Parse(text));
        Assert.Equal(AccessKeyErrorIds.InvalidPermission, e.ErrorId);
        Assert.Equal(CimaaErrorCategory.InvalidArgument, e.Category);
        Assert.Equal(text, e.Target);
    }

    [Fact]
    public void A_set_rejects_the_first_bad_permission()
    {
        var e = Assert.Throws<CimaaException>(() => PermissionSet.Parse(["a:r", "b:q"]));
        Assert.Equal("b:q", e.Target);
    }

    [Theory]
    [InlineData("d:r", "d", AccessOp.Read, true)]
    [InlineData("d:r", "d", AccessOp.Write, false)]
    [InlineData("d:r", "e", AccessOp.Read, false)]
    [InlineData("d:w", "d", AccessOp.Write, true)]
    [InlineData("d:w", "d", AccessOp.Read, false)]
    [InlineData("*:r", "anything", AccessOp.Read, true)]
    [InlineData("*:r", "anything", AccessOp.Write, false)]
    [InlineData("*:w", "anything", AccessOp.Write, true)]
    [InlineData("*:w", "anything", AccessOp.Read, false)]
    [InlineData("D:r", "d", AccessOp.Read, false)]
    [InlineData("d:rw", "d", AccessOp.Write, true)]
    public void Allows_is_d_o_or_star_o(string permission, string domain, AccessOp op, bool allowed)
    {
        Assert.Equal(allowed, PermissionSet.Parse([permission]).Allows(domain, op));
    }

    [Fact]
    public void Stored_strings_are_sorted_and_distinct()
    {
        var set = PermissionSet.Parse(["b:rw", "a:w", "b:r"]);
        Assert.Equal(["a:w", "b:r", "b:w"], set.ToStrings());
        Assert.False(set.GrantsAnyDomain);
        Assert.True(set.Union(Permission.Parse("*:r")).GrantsAnyDomain);
        Assert.Equal(["a:w"], set.Except(Permission.Parse("b:rw")).ToStrings());
    }

    [Fact]
    public void Generated_keys_have_the_contract_shape()
    {
        var ids = Enumerable.Range(0, 2000).Select(_ => AccessKeyGenerator.NewId()).ToList();
        var secrets = Enumerable.Range(0, 2000).Select(_ => AccessKeyGenerator.NewSecret()).ToList();
        Assert.All(ids, id => Assert.Matches("^[A-Z0-9]{20}$", id));
        Assert.All(secrets, s => Assert.Matches("^[A-Za-z0-9+/]{40}$", s));
        Assert.Equal(ids.Count, ids.Distinct().Count());
        Assert.Equal(secrets.Count, secrets.Distinct().Count());
        // Every symbol of each alphabet turns up, so the generator is not stuck on a subset.
        Assert.Equal(36, ids.SelectMany(i => i).Distinct().Count());
        Assert.Equal(64, secrets.SelectMany(i => i).Distinct().Count());
        Assert.True(AccessKeyGenerator.IsValidId(ids[0]));
        Assert.False(AccessKeyGenerator.IsValidId(ids[0].ToLowerInvariant()));
        Assert.False(AccessKeyGenerator.IsValidId(ids[0][..19]));
    }

    [Fact]
    public void A_record_never_shows_its_secret()
    {
        var secret = AccessKeyGenerator.NewSecret();
        var record = new AccessKeyRecord("AKID0000000000000001", secret, PermissionSet.Parse(["a:r"]), AccessKeyState.Active);
        Assert.DoesNotContain(secret, record.ToString());
        Assert.Equal(AccessKeyState.Inactive, AccessKeyRecord.ParseState("INACTIVE"));
        Assert.Null(AccessKeyRecord.ParseState("inactive"));
        Assert.Equal("ACTIVE", AccessKeyRecord.FormatState(AccessKeyState.Active));
    }
}
