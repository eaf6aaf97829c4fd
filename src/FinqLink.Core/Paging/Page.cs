using System;
using System.Collections.Generic;
using System.Text.Json.Serialization;
using FinqLink.Models;

namespace FinqLink.Paging
{
    /// <summary>One page of a keyset-paged list answer: its items and FinqLink's pagination object.</summary>
    internal interface IPage<out T>
    {
        IReadOnlyList<T> Items { get; }
        Pagination? Pagination { get; }
    }

    /// <summary>An item that carries its own keyset cursor (the docs: the last item's keyset may be sent as "after").</summary>
    internal interface IKeyed
    {
        string? Keyset { get; }
    }

    /// <summary>FinqLink's pagination object: <c>{"count", "more?", "after"}</c>.</summary>
    public sealed class Pagination
    {
        [JsonPropertyName("count")] public int? Count { get; set; }
        [JsonPropertyName("more?")] public bool More { get; set; }
        [JsonPropertyName("after")] public string? After { get; set; }
    }

    /// <summary>Base of the typed page answers: the item array sits under a different property per operation.</summary>
    public abstract class PageAnswer<T> : FinqObject, IPage<T>
    {
        [JsonPropertyName("pagination")] public Pagination? Pagination { get; set; }

        [JsonIgnore] public abstract T[]? ItemArray { get; }

        IReadOnlyList<T> IPage<T>.Items => ItemArray ?? Array.Empty<T>();
    }
}
