package dev.firebreak.incident;

import dev.firebreak.kernel.Page;

import java.util.List;

/** The items on one page and where that page is. */
public record Paged<T>(Page page, List<T> items) {
    public Paged {
        items = List.copyOf(items);
    }
}
