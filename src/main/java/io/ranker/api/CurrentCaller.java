package io.ranker.api;

import io.ranker.auth.Caller;
import jakarta.enterprise.context.RequestScoped;

/** The caller {@link AccessFilter} recognised for this request; resources read its name as the audit actor. */
@RequestScoped
public class CurrentCaller {
    private Caller caller;

    void set(Caller caller) {
        this.caller = caller;
    }

    /** The caller; {@link Caller#ANONYMOUS} on a public endpoint. */
    public Caller get() {
        return caller == null ? Caller.ANONYMOUS : caller;
    }

    /** The name recorded in audit trails. */
    public String actor() {
        return get().name();
    }
}
