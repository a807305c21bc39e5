package dev.okube.scheduler.plugins.imagelocality;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.FrameworkHandle;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.PreScorePlugin;
import dev.okube.api.scheduler.ScorePlugin;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Favours nodes that already have the pod's images, as upstream's ImageLocality: the sizes of the
 * pod's (init and regular) container images present on the node, each scaled by the share of nodes
 * that have it (against the "node heating" problem), mapped linearly from [23 MiB, 1000 MiB × number
 * of containers] onto [0, 100].
 */
public final class ImageLocality implements PreScorePlugin, ScorePlugin {
    public static final String NAME = "ImageLocality";
    static final String PRE_SCORE_STATE_KEY = "PreScore" + NAME;

    private static final long MB = 1024L * 1024;
    /** Below this sum a node scores 0: about the size of a small compressed image. */
    static final long MIN_THRESHOLD = 23 * MB;
    /** The sum at which one container's image counts in full. */
    static final long MAX_CONTAINER_THRESHOLD = 1000 * MB;

    /** The pod's normalized image names (init containers first) and the snapshot's node count. */
    record PreScoreState(String[] images, int totalNumNodes) implements CycleState.StateData {
        @Override
        public CycleState.StateData copy() {
            return this;
        }
    }

    private final FrameworkHandle handle;

    public ImageLocality(FrameworkHandle handle) {
        this.handle = handle;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public Status preScore(CycleState state, Pod pod, List<NodeInfo> feasibleNodes) {
        state.write(PRE_SCORE_STATE_KEY, preScoreState(pod));
        return Status.SUCCESS;
    }

    private PreScoreState preScoreState(Pod pod) {
        List<String> images = new ArrayList<>();
        if (pod.getSpec() != null) {
            addImages(pod.getSpec().getInitContainers(), images);
            addImages(pod.getSpec().getContainers(), images);
        }
        return new PreScoreState(images.toArray(new String[0]), handle.snapshot().list().size());
    }

    private static void addImages(List<Container> containers, List<String> out) {
        if (containers != null) {
            for (Container c : containers) {
                out.add(normalizedImageName(c.getImage()));
            }
        }
    }

    @Override
    public long score(CycleState state, Pod pod, NodeInfo nodeInfo) {
        PreScoreState s = state.read(PRE_SCORE_STATE_KEY, PreScoreState.class);
        if (s == null) {
            s = preScoreState(pod); // PreScore disabled in the profile
        }
        return calculatePriority(sumImageScores(nodeInfo.imageStates(), s.images(), s.totalNumNodes()), s.images().length);
    }

    static long sumImageScores(Map<String, NodeInfo.ImageState> imageStates, String[] images, int totalNumNodes) {
        if (imageStates.isEmpty()) {
            return 0;
        }
        long sum = 0;
        for (String image : images) {
            NodeInfo.ImageState st = imageStates.get(image);
            if (st != null) {
                sum += scaledImageScore(st, totalNumNodes);
            }
        }
        return sum;
    }

    /** The image's size scaled by the share of nodes that have it. */
    static long scaledImageScore(NodeInfo.ImageState state, int totalNumNodes) {
        double spread = (double) state.numNodes() / (double) totalNumNodes;
        return (long) (state.sizeBytes() * spread);
    }

    static long calculatePriority(long sumScores, int numContainers) {
        long maxThreshold = MAX_CONTAINER_THRESHOLD * numContainers;
        if (maxThreshold <= MIN_THRESHOLD) {
            return MIN_NODE_SCORE; // no containers: nothing to favour
        }
        if (sumScores < MIN_THRESHOLD) {
            sumScores = MIN_THRESHOLD;
        } else if (sumScores > maxThreshold) {
            sumScores = maxThreshold;
        }
        return MAX_NODE_SCORE * (sumScores - MIN_THRESHOLD) / (maxThreshold - MIN_THRESHOLD);
    }

    /** The name as the node reports it: with ":latest" when the image names no tag. */
    static String normalizedImageName(String name) {
        if (name == null) {
            return "";
        }
        if (name.lastIndexOf(':') <= name.lastIndexOf('/')) {
            return name + ":latest";
        }
        return name;
    }
}
