package net.pflowd.export;

/** A rejected export setting (bad version, MTU out of bounds, ...); nothing was changed. */
public final class InvalidExportSettingsException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public InvalidExportSettingsException(String message) {
        super(message);
    }
}
