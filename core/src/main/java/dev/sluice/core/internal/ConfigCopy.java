package dev.sluice.core.internal;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.RecordComponent;

/**
 * The one copy-with mechanism behind every {@code withX} method of Sluice's config records
 * ({@code ServerConfig}, {@code HttpConfig}, {@code StaticFilesConfig}): a copy of a record with
 * one component replaced, built through the record's canonical constructor, so the copy is
 * validated exactly as a new record is. It lets a {@code withX} method name its component once
 * instead of re-listing every component of the record, and lets a record of eighteen components
 * do without a hand-written builder.
 *
 * <p>Not API: exported only to Sluice's own modules. Config records are built at startup, not
 * per request, so the reflection costs nothing that matters.
 */
public final class ConfigCopy {
    private ConfigCopy() {
    }

    /**
     * A copy of {@code record} with the component called {@code name} set to {@code value}.
     *
     * @throws IllegalArgumentException (or another runtime exception) as the record's constructor
     *     throws it, when the new value is invalid: the message is the record's own
     * @throws IllegalStateException if the record has no such component or {@code value} has the
     *     wrong type: a bug in the calling {@code withX} method
     */
    public static <R extends Record> R with(R record, String name, Object value) {
        RecordComponent[] components = record.getClass().getRecordComponents();
        Object[] args = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        boolean found = false;
        try {
            for (int i = 0; i < components.length; i++) {
                types[i] = components[i].getType();
                if (components[i].getName().equals(name)) {
                    args[i] = value;
                    found = true;
                } else {
                    args[i] = components[i].getAccessor().invoke(record);
                }
            }
            if (!found) {
                throw new IllegalStateException(record.getClass().getSimpleName() + " has no component " + name);
            }
            @SuppressWarnings("unchecked")
            Constructor<R> canonical = (Constructor<R>) record.getClass().getConstructor(types);
            return canonical.newInstance(args);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (ReflectiveOperationException | IllegalArgumentException e) {
            // IllegalArgumentException here is newInstance's own: a value of the wrong type.
            throw new IllegalStateException("cannot copy " + record.getClass().getSimpleName()
                    + " with " + name + ": " + e, e);
        }
    }
}
