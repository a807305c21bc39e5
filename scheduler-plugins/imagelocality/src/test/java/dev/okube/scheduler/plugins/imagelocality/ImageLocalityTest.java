package dev.okube.scheduler.plugins.imagelocality;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.okube.api.scheduler.CycleState;
import dev.okube.api.scheduler.NodeInfo;
import dev.okube.api.scheduler.Status;
import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Upstream's TestImageLocalityPriority (imagelocality): the node images of its table, image states
 * summarised across the nodes as the scheduler's cache does (every name of an image, with the number of
 * nodes that have it), and scores by the 1.32 formula.
 */
class ImageLocalityTest {
    private static final long MB = 1024L * 1024;

    static ContainerImage image(long sizeMb, String... names) {
        return new ContainerImage(List.of(names), sizeMb * MB);
    }

    static final List<ContainerImage> NODE_40_300_2000 = List.of(
            image(40, "gcr.io/40:latest", "gcr.io/40:v1", "gcr.io/40:v1"),
            image(300, "gcr.io/300:latest", "gcr.io/300:v1"),
            image(2000, "gcr.io/2000:latest"));
    static final List<ContainerImage> NODE_250_10 = List.of(
            image(250, "gcr.io/250:latest"),
            image(10, "gcr.io/10:latest", "gcr.io/10:v1"));
    static final List<ContainerImage> NODE_60_40_900 = List.of(
            image(600, "gcr.io/600:latest"),
            image(40, "gcr.io/40:latest"),
            image(900, "gcr.io/900:latest"));
    static final List<ContainerImage> NODE_300_600_900 = List.of(
            image(300, "gcr.io/300:latest"),
            image(600, "gcr.io/600:latest"),
            image(900, "gcr.io/900:latest"));
    static final List<ContainerImage> NODE_4000_30 = List.of(
            image(4000, "gcr.io/4000:latest"),
            image(30, "gcr.io/30:latest"));

    /** NodeInfos named machine1..n with these images; image states counted across all of them. */
    @SafeVarargs
    static List<NodeInfo> nodes(List<ContainerImage>... images) {
        Map<String, Integer> numNodes = new HashMap<>();
        for (List<ContainerImage> node : images) {
            for (ContainerImage img : node) {
                for (String n : new java.util.HashSet<>(img.getNames())) {
                    numNodes.merge(n, 1, Integer::sum);
                }
            }
        }
        List<NodeInfo> out = new ArrayList<>();
        for (int i = 0; i < images.length; i++) {
            NodeInfo ni = new NodeInfo(new NodeBuilder().withNewMetadata().withName("machine" + (i + 1)).endMetadata()
                    .withNewStatus().withImages(images[i]).endStatus().build());
            Map<String, NodeInfo.ImageState> states = new HashMap<>();
            for (ContainerImage img : images[i]) {
                for (String n : img.getNames()) {
                    states.put(n, new NodeInfo.ImageState(img.getSizeBytes(), numNodes.get(n)));
                }
            }
            ni.setImageStates(states);
            out.add(ni);
        }
        return out;
    }

    static Pod pod(List<String> initImages, List<String> images) {
        PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").endMetadata().withNewSpec().endSpec();
        for (String i : initImages) {
            b.editSpec().addNewInitContainer().withName("i").withImage(i).endInitContainer().endSpec();
        }
        for (String i : images) {
            b.editSpec().addNewContainer().withName("c").withImage(i).endContainer().endSpec();
        }
        return b.build();
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                // machine1: (40 MB + 300 MB) / 2 nodes each = 170 MB of a 2000 MB range: 100*(170-23)/(2000-23) = 7.
                Arguments.of("two images spread on two nodes, prefer the larger image one",
                        pod(List.of(), List.of("gcr.io/40", "gcr.io/300")), nodes(NODE_40_300_2000, NODE_250_10),
                        new long[] {7, 0}),
                // machine1: 300 MB * 1/2 = 150 MB; machine2: 250 MB * 1/2 = 125 MB; range 23..2000 MB.
                Arguments.of("two images on two nodes, prefer the larger scaled sum",
                        pod(List.of(), List.of("gcr.io/300", "gcr.io/250:latest")), nodes(NODE_40_300_2000, NODE_250_10),
                        new long[] {6, 5}),
                // machine1: 2000 MB * 1/2 = 1000 MB: the top of a one-container range.
                Arguments.of("if exceed limit, use limit",
                        pod(List.of(), List.of("gcr.io/2000")), nodes(NODE_40_300_2000, NODE_250_10),
                        new long[] {100, 0}),
                // gcr.io/300 on both of two nodes: 300 MB unscaled: 100*(300-23)/(1000-23) = 28.
                Arguments.of("image spread on all nodes is not scaled down",
                        pod(List.of(), List.of("gcr.io/300")), nodes(NODE_300_600_900, NODE_40_300_2000),
                        new long[] {28, 28}),
                // gcr.io/600 and gcr.io/900 on 2 of 3 nodes: (600+900)*2/3 = 1000 MB in a 2000 MB range: 100*977/1977 = 49.
                Arguments.of("images spread on two of three nodes",
                        pod(List.of(), List.of("gcr.io/600", "gcr.io/900")),
                        nodes(NODE_60_40_900, NODE_300_600_900, NODE_250_10),
                        new long[] {49, 49, 0}),
                // init containers count: 4000 MB / 2 = 2000 MB, capped at 2 containers × 1000 MB.
                Arguments.of("init containers count, and widen the range",
                        pod(List.of("gcr.io/4000"), List.of("gcr.io/30")), nodes(NODE_4000_30, NODE_250_10),
                        new long[] {100, 0}),
                // 30 MB / 2 nodes = 15 MB: below the 23 MB threshold.
                Arguments.of("small images score nothing",
                        pod(List.of(), List.of("gcr.io/30")), nodes(NODE_4000_30, NODE_250_10),
                        new long[] {0, 0}),
                Arguments.of("a tag other than latest matches that name",
                        pod(List.of(), List.of("gcr.io/300:v1")), nodes(NODE_40_300_2000, NODE_250_10),
                        new long[] {12, 0}),
                Arguments.of("no images on the node", pod(List.of(), List.of("gcr.io/300")), nodes(List.of(), List.of()),
                        new long[] {0, 0}));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void score(String name, Pod pod, List<NodeInfo> nodes, long[] want) {
        ImageLocality pl = new ImageLocality(new FakeHandle(nodes));
        CycleState state = new CycleState();
        assertEquals(Status.SUCCESS, pl.preScore(state, pod, nodes));
        long[] got = new long[nodes.size()];
        for (int i = 0; i < got.length; i++) {
            got[i] = pl.score(state, pod, nodes.get(i));
        }
        assertArrayEquals(want, got);
        // Without PreScore (disabled in a profile) the scores are the same.
        for (int i = 0; i < got.length; i++) {
            got[i] = pl.score(new CycleState(), pod, nodes.get(i));
        }
        assertArrayEquals(want, got);
    }

    @Test
    void normalizedImageName() {
        assertEquals("gcr.io/300:latest", ImageLocality.normalizedImageName("gcr.io/300"));
        assertEquals("gcr.io/300:v1", ImageLocality.normalizedImageName("gcr.io/300:v1"));
        assertEquals("localhost:5000/app:latest", ImageLocality.normalizedImageName("localhost:5000/app"));
        assertEquals("localhost:5000/app:1", ImageLocality.normalizedImageName("localhost:5000/app:1"));
    }

    @Test
    void calculatePriority() {
        assertEquals(0, ImageLocality.calculatePriority(0, 1));
        assertEquals(0, ImageLocality.calculatePriority(23 * MB, 1));
        assertEquals(100, ImageLocality.calculatePriority(1000 * MB, 1));
        assertEquals(49, ImageLocality.calculatePriority(1000 * MB, 2)); // 100*(1000-23)/(2000-23)
        assertEquals(0, ImageLocality.calculatePriority(1000 * MB, 0));
    }

    @Test
    void factoryCreatesImageLocality() {
        ImageLocalityFactory factory = new ImageLocalityFactory();
        assertEquals("ImageLocality", factory.name());
        assertEquals("ImageLocality", factory.create(null, new FakeHandle(List.of())).name());
    }
}
