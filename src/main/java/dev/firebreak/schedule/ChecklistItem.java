package dev.firebreak.schedule;

import java.time.Instant;

/** Something a person must do in a scheduled run, numbered from 1; open until someone ticks it off. */
public record ChecklistItem(int item, String text, String doneBy, Instant doneAt) {

    public boolean open() {
        return doneBy == null;
    }
}
