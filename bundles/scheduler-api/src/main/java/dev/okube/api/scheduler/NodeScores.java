package dev.okube.api.scheduler;

/** One plugin's scores for the feasible nodes of a cycle, in node order; NormalizeScore changes them in place. */
public final class NodeScores {
    private final String[] nodeNames;
    private final long[] scores;

    public NodeScores(String[] nodeNames, long[] scores) {
        if (nodeNames.length != scores.length) {
            throw new IllegalArgumentException("nodeNames and scores differ in length");
        }
        this.nodeNames = nodeNames;
        this.scores = scores;
    }

    public int size() {
        return scores.length;
    }

    public String nodeName(int i) {
        return nodeNames[i];
    }

    public long score(int i) {
        return scores[i];
    }

    public void setScore(int i, long score) {
        scores[i] = score;
    }

    public long max() {
        long m = Long.MIN_VALUE;
        for (long s : scores) {
            m = Math.max(m, s);
        }
        return scores.length == 0 ? 0 : m;
    }

    public long min() {
        long m = Long.MAX_VALUE;
        for (long s : scores) {
            m = Math.min(m, s);
        }
        return scores.length == 0 ? 0 : m;
    }
}
