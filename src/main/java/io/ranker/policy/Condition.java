package io.ranker.policy;

import io.ranker.core.Item;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A predicate over one candidate's item attributes and the request context (user segment is a context key,
 * e.g. {@code segment}). Conditions are immutable configuration, evaluated once per candidate per rule, so
 * the leaf forms pre-parse their operands (numbers, booleans) when the rule file is compiled.
 */
public interface Condition {
    boolean test(Item item, Map<String, String> context);

    /** Item attribute names this condition reads (for the unknown-attribute check). */
    default void collectAttributes(Set<String> into) {
    }

    Condition ALWAYS = (item, context) -> true;

    /** Where a leaf condition reads its value: an item attribute, or a request context key. */
    record Field(boolean fromContext, String name, boolean isId) {
        /**
         * The name is interned: attribute names in items are mostly interned too (Java literals, Jackson field
         * names), so the map lookup's key comparison is usually an identity check (the stage's hot loop).
         */
        public Field(boolean fromContext, String name) {
            this(fromContext, name.intern(), !fromContext && name.equals("id"));
        }

        Object value(Item item, Map<String, String> context) {
            if (fromContext) return context.get(name);
            if (item == null) return null;
            if (isId) return item.id();
            return item.attributes().get(name);
        }

        @Override
        public String toString() {
            return (fromContext ? "context." : "") + name;
        }
    }

    /** Equal to a value; a list attribute matches when it contains the value. Numbers compare numerically. */
    record Eq(Field field, Operand operand) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            Object v = field.value(item, context);
            // class checks before the interface check: instanceof List is the slow path for a String or Boolean
            if (v instanceof String || v instanceof Boolean || v instanceof Number || v == null) return operand.matches(v);
            if (v instanceof List<?> list) {
                for (Object e : list) if (operand.matches(e)) return true;
                return false;
            }
            return operand.matches(v);
        }

        @Override
        public void collectAttributes(Set<String> into) {
            if (!field.fromContext()) into.add(field.name());
        }
    }

    /** Equal to any of the values. */
    record In(Field field, List<Operand> operands) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            Object v = field.value(item, context);
            if (!(v instanceof String || v instanceof Boolean || v instanceof Number || v == null) && v instanceof List<?> list) {
                for (Object e : list) for (Operand o : operands) if (o.matches(e)) return true;
                return false;
            }
            for (Operand o : operands) if (o.matches(v)) return true;
            return false;
        }

        @Override
        public void collectAttributes(Set<String> into) {
            if (!field.fromContext()) into.add(field.name());
        }
    }

    /** A number within [min, max], both inclusive and optional; a non-number never matches. */
    record Range(Field field, Double min, Double max) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            Object v = field.value(item, context);
            double d;
            if (v instanceof Number n) d = n.doubleValue();
            else if (v instanceof String s) {
                try {
                    d = Double.parseDouble(s);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else return false;
            if (Double.isNaN(d)) return false;
            return (min == null || d >= min) && (max == null || d <= max);
        }

        @Override
        public void collectAttributes(Set<String> into) {
            if (!field.fromContext()) into.add(field.name());
        }
    }

    /** The value is present (and, for a list or string, not empty); {@code exists: false} negates. */
    record Exists(Field field, boolean expected) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            Object v = field.value(item, context);
            boolean present;
            if (v == null) present = false;
            else if (v instanceof String s) present = !s.isEmpty();
            else if (v instanceof Number || v instanceof Boolean) present = true;
            else present = !(v instanceof List<?> l && l.isEmpty());
            return present == expected;
        }

        @Override
        public void collectAttributes(Set<String> into) {
            if (!field.fromContext()) into.add(field.name());
        }
    }

    /** A string (or any element of a list) starts with the prefix. */
    record Prefix(Field field, String prefix) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            Object v = field.value(item, context);
            if (v instanceof String s) return s.startsWith(prefix);
            if (v == null || v instanceof Number || v instanceof Boolean) return false;
            if (v instanceof List<?> list) {
                for (Object e : list) if (e != null && String.valueOf(e).startsWith(prefix)) return true;
            }
            return false;
        }

        @Override
        public void collectAttributes(Set<String> into) {
            if (!field.fromContext()) into.add(field.name());
        }
    }

    record All(List<Condition> parts) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            for (Condition c : parts) if (!c.test(item, context)) return false;
            return true;
        }

        @Override
        public void collectAttributes(Set<String> into) {
            parts.forEach(p -> p.collectAttributes(into));
        }
    }

    record Any(List<Condition> parts) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            for (Condition c : parts) if (c.test(item, context)) return true;
            return false;
        }

        @Override
        public void collectAttributes(Set<String> into) {
            parts.forEach(p -> p.collectAttributes(into));
        }
    }

    record Not(Condition part) implements Condition {
        @Override
        public boolean test(Item item, Map<String, String> context) {
            return !part.test(item, context);
        }

        @Override
        public void collectAttributes(Set<String> into) {
            part.collectAttributes(into);
        }
    }

    /**
     * A scalar from the rule file, pre-parsed so that a string, a number and a boolean attribute each compare
     * the natural way: {@code eq: 4} matches the Double 4.0, {@code eq: false} matches Boolean.FALSE and "false".
     */
    record Operand(String text, Double number, Boolean bool) {
        public static Operand of(String text) {
            Double number = null;
            try {
                double d = Double.parseDouble(text.trim());
                if (!Double.isNaN(d)) number = d;
            } catch (NumberFormatException ignored) {
                // not a number: compares as text only
            }
            Boolean bool = "true".equalsIgnoreCase(text) ? Boolean.TRUE
                    : "false".equalsIgnoreCase(text) ? Boolean.FALSE : null;
            return new Operand(text, number, bool);
        }

        boolean matches(Object v) {
            if (v instanceof String s) return text.equals(s);
            if (v == null) return false;
            if (v instanceof Number n) return number != null && n.doubleValue() == number;
            if (v instanceof Boolean b) return b.equals(bool);
            return text.equals(String.valueOf(v));
        }
    }
}
