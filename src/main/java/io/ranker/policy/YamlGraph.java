package io.ranker.policy;

import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.SequenceNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;

/**
 * Checks on a composed YAML node graph before anything walks it recursively. Aliases make the graph a DAG, and a
 * recursive alias ({@code &a [*a]}, seven bytes) makes it cyclic: any recursive walk then overflows the stack.
 * This finds such a cycle iteratively, with an explicit stack, so the check itself cannot overflow.
 */
final class YamlGraph {
    private YamlGraph() {
    }

    /** A node that contains itself (directly or through aliases), or null when the graph has no cycle. */
    static Node firstCycle(Node root) {
        Set<Node> done = Collections.newSetFromMap(new IdentityHashMap<>());
        Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Frame> stack = new ArrayDeque<>();
        stack.push(new Frame(root));
        onPath.add(root);
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            if (top.next < top.children.size()) {
                Node child = top.children.get(top.next++);
                if (onPath.contains(child)) return child;
                if (done.contains(child)) continue;
                onPath.add(child);
                stack.push(new Frame(child));
            } else {
                stack.pop();
                onPath.remove(top.node);
                done.add(top.node);
            }
        }
        return null;
    }

    private static final class Frame {
        final Node node;
        final List<Node> children;
        int next;

        Frame(Node node) {
            this.node = node;
            this.children = children(node);
        }
    }

    private static List<Node> children(Node n) {
        if (n instanceof SequenceNode s) return s.getValue();
        if (n instanceof MappingNode m) {
            List<Node> out = new ArrayList<>(m.getValue().size() * 2);
            for (NodeTuple t : m.getValue()) {
                out.add(t.getKeyNode());
                out.add(t.getValueNode());
            }
            return out;
        }
        return List.of();
    }
}
