import {
  Background,
  BaseEdge,
  Controls,
  EdgeLabelRenderer,
  Handle,
  Position,
  ReactFlow,
  ReactFlowProvider,
  applyNodeChanges,
  getStraightPath,
  useReactFlow,
  type Edge,
  type EdgeProps,
  type Node,
  type NodeChange,
  type NodeProps,
} from '@xyflow/react';
import '@xyflow/react/dist/base.css';
import { useEffect, useMemo, useState, type DragEvent, type ReactElement } from 'react';
import { CARD_DRAG_TYPE } from './Palette';
import type { Draft } from './flow-draft';
import { TRIGGER_NODE, stepNodeId } from './flow-draft';
import { isCardStep, type AnyStepSpec, type CardView } from './flow-types';

/** Vertical distance between two cards; the layout is one column top to bottom. */
export const ROW = 120;
const WIDTH = 280;
/** Up to this many cards the canvas fits them all; beyond, it fits the first ones. */
const FIT_ALL_UP_TO = 8;

export interface CardNodeData extends Record<string, unknown> {
  readonly title: string;
  readonly subtitle: string;
  readonly kind: 'trigger' | 'step' | 'paths' | 'forEach' | 'frame' | 'placeholder-trigger' | 'end';
  readonly stepId?: string;
  readonly problems: number;
  readonly status?: { label: string; badge: string };
  readonly greyed?: string;
}

type CardNode = Node<CardNodeData, 'card'>;
type InsertEdge = Edge<{ index: number; editable: boolean; onPlus: (index: number) => void }, 'insert'>;

function CardNodeView(props: NodeProps<CardNode>): ReactElement {
  const { data } = props;
  const placeholder = data.kind === 'placeholder-trigger' || data.kind === 'end';
  return (
    <div
      className={`flow-node flow-node-${data.kind}${props.selected ? ' is-selected' : ''}${data.problems ? ' has-problems' : ''}`}
      data-testid={data.stepId ? `node-${data.stepId}` : `node-${data.kind}`}
      aria-label={`${data.title}${data.problems ? `, ${data.problems} problem${data.problems > 1 ? 's' : ''}` : ''}${data.status ? `, ${data.status.label}` : ''}`}
    >
      {data.kind !== 'trigger' && data.kind !== 'placeholder-trigger' && (
        <Handle type="target" position={Position.Top} isConnectable={false} />
      )}
      <div className="flow-node-kind">
        {data.kind === 'trigger' ? 'Trigger' : placeholder ? '' : data.stepId}
      </div>
      <div className="flow-node-title">{data.title}</div>
      {data.subtitle && <div className="flow-node-subtitle">{data.subtitle}</div>}
      {data.status && <span className={`badge ${data.status.badge}`}>{data.status.label}</span>}
      {data.problems > 0 && (
        <span className="badge badge-danger flow-node-problems">
          {data.problems} problem{data.problems > 1 ? 's' : ''}
        </span>
      )}
      {data.greyed && (
        <span className="badge badge-warn" title={data.greyed}>
          sunset
        </span>
      )}
      {data.kind !== 'end' && <Handle type="source" position={Position.Bottom} isConnectable={false} />}
    </div>
  );
}

function InsertEdgeView(props: EdgeProps<InsertEdge>): ReactElement {
  const [path, labelX, labelY] = getStraightPath(props);
  const data = props.data!;
  return (
    <>
      <BaseEdge id={props.id} path={path} />
      {props.label && (
        <EdgeLabelRenderer>
          <span
            className="edge-label"
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
          >
            {props.label}
          </span>
        </EdgeLabelRenderer>
      )}
      {data.editable && (
        <EdgeLabelRenderer>
          <button
            type="button"
            className="edge-plus nodrag nopan"
            data-insert-index={data.index}
            style={{ transform: `translate(-50%, -50%) translate(${labelX}px, ${labelY}px)` }}
            aria-label={`Add a step at position ${data.index + 1}`}
            title="Add a step here (or drop a card on it)"
            onClick={() => data.onPlus(data.index)}
          >
            +
          </button>
        </EdgeLabelRenderer>
      )}
    </>
  );
}

const nodeTypes = { card: CardNodeView, frame: FrameNodeView };
const edgeTypes = { insert: InsertEdgeView };

export interface CanvasProps {
  readonly draft: Draft;
  readonly cardOf: (ref: string) => CardView | undefined;
  readonly greyedOf?: (ref: string) => string | undefined;
  readonly selected: string | null;
  readonly problemsByNode: ReadonlyMap<string, number>;
  readonly statusByNode?: ReadonlyMap<string, { label: string; badge: string }>;
  readonly editable: boolean;
  readonly insertIndex?: number;
  onSelect(nodeId: string | null): void;
  onPlus?(index: number): void;
  onDropCard?(ref: string, index: number | 'trigger'): void;
  onMove?(from: number, to: number): void;
}

/** Horizontal distance between two branch columns. */
const COLUMN = WIDTH + 60;

interface Laid {
  nodes: CardNode[];
  edges: InsertEdge[];
  /** Top y of each top-level step, then of the end node: where a dragged step lands. */
  tops: number[];
}

interface Block {
  /** The node a previous block connects to, and the node(s) the next block connects from. */
  head: string;
  tails: string[];
  height: number;
  width: number;
}

/**
 * Top-to-bottom layout: the trigger on top, steps one row apart; a paths step draws its branches
 * (and "otherwise") as columns side by side that join again below; a for-each step is a framed
 * group around its steps. Only the top level gets "+" buttons on its edges for now.
 */
export function layoutFlow(props: CanvasProps): Laid {
  const { draft } = props;
  const nodes: CardNode[] = [];
  const edges: InsertEdge[] = [];
  const card = (ref: string) => props.cardOf(ref);
  const plain = (source: string, target: string, label?: string): void => {
    edges.push({
      id: `e:${source}->${target}`,
      source,
      target,
      type: 'insert',
      selectable: false,
      label,
      data: { index: -1, editable: false, onPlus: () => undefined },
    });
  };
  const cardNode = (
    step: AnyStepSpec,
    x: number,
    y: number,
    kind: CardNodeData['kind'],
    title: string,
    subtitle: string,
  ): string => {
    const id = stepNodeId(step.id);
    nodes.push({
      id,
      type: 'card',
      position: { x, y },
      draggable: props.editable && kind === 'step',
      selected: props.selected === id,
      data: {
        kind,
        stepId: step.id,
        title,
        subtitle,
        problems: props.problemsByNode.get(id) ?? 0,
        status: props.statusByNode?.get(id),
        greyed: isCardStep(step) ? props.greyedOf?.(step.card) : undefined,
      },
      style: { width: WIDTH },
    });
    return id;
  };

  const layoutList = (steps: readonly AnyStepSpec[], x: number, y: number, topLevel: boolean): Block[] => {
    const blocks: Block[] = [];
    let cursor = y;
    for (const step of steps) {
      if (topLevel) tops.push(cursor);
      const block = layoutStep(step, x, cursor);
      blocks.push(block);
      cursor += block.height;
    }
    // Chain the blocks (the top level chains through edgesFor, with "+" buttons).
    if (!topLevel)
      for (let i = 0; i + 1 < blocks.length; i++)
        for (const tail of blocks[i]!.tails) plain(tail, blocks[i + 1]!.head);
    return blocks;
  };

  const layoutStep = (step: AnyStepSpec, x: number, y: number): Block => {
    if (isCardStep(step)) {
      const id = cardNode(
        step,
        x,
        y,
        'step',
        step.name || card(step.card)?.title || step.card,
        `${step.card.split('/')[0]}${step.condition ? ' · only if…' : ''}`,
      );
      return { head: id, tails: [id], height: ROW, width: COLUMN };
    }
    if (step.type === 'paths') {
      const head = cardNode(
        step,
        x,
        y,
        'paths',
        step.name || 'Paths',
        `${step.mode === 'every' ? 'every true path' : 'first true path'}`,
      );
      const columns = [
        ...step.branches.map((branch) => ({ label: branch.name, steps: branch.steps })),
        ...(step.otherwise ? [{ label: 'otherwise', steps: step.otherwise }] : []),
      ];
      const total = columns.length * COLUMN;
      let left = x + WIDTH / 2 - total / 2 + (COLUMN - WIDTH) / 2;
      let height = 0;
      const tails: string[] = [];
      let width = 0;
      for (const column of columns) {
        const blocks = layoutList(column.steps, left, y + ROW, false);
        const first = blocks[0];
        if (first) plain(head, first.head, column.label);
        const columnHeight = blocks.reduce((sum, block) => sum + block.height, 0);
        height = Math.max(height, columnHeight);
        width += Math.max(COLUMN, ...blocks.map((block) => block.width));
        tails.push(...(blocks[blocks.length - 1]?.tails ?? [head]));
        left += Math.max(COLUMN, ...blocks.map((block) => block.width));
      }
      return { head, tails, height: ROW + height, width: Math.max(COLUMN, width) };
    }
    // forEach: a frame behind its steps, the header on top.
    const frameId = `frame:${step.id}`;
    const frameIndex = nodes.length;
    nodes.push({
      id: frameId,
      type: 'frame',
      position: { x: x - 30, y: y - 10 },
      draggable: false,
      selectable: false,
      focusable: false,
      zIndex: -1,
      data: { kind: 'frame', title: '', subtitle: '', problems: 0 },
    } as unknown as CardNode);
    const head = cardNode(step, x, y, 'forEach', step.name || 'For each', step.items);
    const blocks = layoutList(step.steps, x, y + ROW, false);
    if (blocks[0]) plain(head, blocks[0].head, 'each item');
    const inner = blocks.reduce((sum, block) => sum + block.height, 0);
    const width = Math.max(COLUMN, ...blocks.map((block) => block.width));
    nodes[frameIndex] = { ...nodes[frameIndex]!, style: { width: width, height: ROW + inner - 10 } };
    return {
      head,
      tails: blocks[blocks.length - 1]?.tails ?? [head],
      height: ROW + inner + 20,
      width: width + 40,
    };
  };

  const tops: number[] = [];
  nodes.push({
    id: TRIGGER_NODE,
    type: 'card',
    position: { x: 0, y: 0 },
    draggable: false,
    selected: props.selected === TRIGGER_NODE,
    data: draft.trigger
      ? {
          kind: 'trigger',
          title: card(draft.trigger.card)?.title ?? draft.trigger.card,
          subtitle: draft.trigger.card.split('/')[0] ?? '',
          problems: props.problemsByNode.get(TRIGGER_NODE) ?? 0,
          status: props.statusByNode?.get(TRIGGER_NODE),
          greyed: props.greyedOf?.(draft.trigger.card),
        }
      : {
          kind: 'placeholder-trigger',
          title: 'Choose a trigger',
          subtitle: 'Drop a trigger card here, or pick one in the palette',
          problems: props.problemsByNode.get(TRIGGER_NODE) ?? 0,
        },
    style: { width: WIDTH },
  });
  const blocks = layoutList(draft.steps, 0, ROW, true);
  const endY = ROW + blocks.reduce((sum, block) => sum + block.height, 0);
  tops.push(endY);
  const chain: Array<{ head: string; tails: string[] }> = [
    { head: TRIGGER_NODE, tails: [TRIGGER_NODE] },
    ...blocks,
  ];
  if (props.editable && draft.trigger) {
    nodes.push({
      id: 'end',
      type: 'card',
      position: { x: 0, y: endY },
      draggable: false,
      selectable: false,
      data: {
        kind: 'end',
        title: draft.steps.length ? 'Drop a card here to add it last' : 'Drop the first step here',
        subtitle: '',
        problems: 0,
      },
      style: { width: WIDTH },
    });
    chain.push({ head: 'end', tails: ['end'] });
  }
  const editable = props.editable && !!draft.trigger;
  for (let i = 0; i + 1 < chain.length; i++) {
    const tails = chain[i]!.tails;
    tails.forEach((tail, n) =>
      edges.push({
        id: `e:${tail}->${chain[i + 1]!.head}`,
        source: tail,
        target: chain[i + 1]!.head,
        type: 'insert',
        selectable: false,
        // one "+" per gap, on the first of the joining edges
        data: { index: i, editable: editable && n === 0, onPlus: (index) => props.onPlus?.(index) },
      }),
    );
  }
  return { nodes, edges, tops };
}

function FrameNodeView(): ReactElement {
  return <div className="flow-frame" aria-hidden="true" />;
}

function CanvasInner(props: CanvasProps): ReactElement {
  const flow = useReactFlow();
  const { draft, cardOf, greyedOf, selected, problemsByNode, statusByNode, editable } = props;
  const { onPlus } = props;
  const laid = useMemo(
    () =>
      layoutFlow({
        draft,
        cardOf,
        greyedOf,
        selected,
        problemsByNode,
        statusByNode,
        editable,
        onPlus,
      } as CanvasProps),
    [draft, cardOf, greyedOf, selected, problemsByNode, statusByNode, editable, onPlus],
  );
  const laidOut = laid.nodes;
  const [nodes, setNodes] = useState<CardNode[]>(laidOut);
  useEffect(() => setNodes(laidOut), [laidOut]);
  // A card added or removed: keep the flow in view (after xyflow has measured the new node); a long
  // flow shows its beginning at a readable size instead of shrinking 50 cards into the window.
  const count = laidOut.length;
  useEffect(() => {
    const timer = window.setTimeout(() => {
      const nodes =
        count > FIT_ALL_UP_TO ? laidOut.slice(0, FIT_ALL_UP_TO).map((node) => ({ id: node.id })) : undefined;
      void flow.fitView({ maxZoom: 1, padding: 0.2, nodes });
    }, 50);
    return () => window.clearTimeout(timer);
    // only when the number of cards changes, not on every edit
  }, [count, flow]);
  const edges = laid.edges;

  /** The top-level position a point at height y falls into (between two steps' tops). */
  const indexAt = (y: number): number => {
    const index = laid.tops.findIndex((top) => y < top + ROW / 2);
    return index < 0 ? props.draft.steps.length : Math.min(index, props.draft.steps.length);
  };

  const onDrop = (event: DragEvent): void => {
    const ref = event.dataTransfer.getData(CARD_DRAG_TYPE);
    if (!ref || !props.onDropCard) return;
    event.preventDefault();
    const card = props.cardOf(ref);
    if (card?.kind === 'trigger') return props.onDropCard(ref, 'trigger');
    const edge = (event.target as Element).closest?.('[data-insert-index]');
    if (edge) return props.onDropCard(ref, Number(edge.getAttribute('data-insert-index')));
    const point = flow.screenToFlowPosition({ x: event.clientX, y: event.clientY });
    props.onDropCard(ref, indexAt(point.y));
  };

  return (
    <div
      className="flow-canvas"
      data-testid="flow-canvas"
      onDragOver={(event) => {
        if (!props.editable) return;
        event.preventDefault();
        event.dataTransfer.dropEffect = 'copy';
      }}
      onDrop={onDrop}
      onKeyDown={(event) => {
        // A focused card (Tab reaches every card) opens its panel with Enter or Space.
        const node = (event.target as Element).closest?.('.react-flow__node');
        const id = node?.getAttribute('data-id');
        if (!id || id === 'end' || (event.key !== 'Enter' && event.key !== ' ')) return;
        event.preventDefault();
        props.onSelect(id);
      }}
    >
      <ReactFlow<CardNode, InsertEdge>
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        edgeTypes={edgeTypes}
        onNodesChange={(changes: NodeChange<CardNode>[]) =>
          setNodes((current) => applyNodeChanges(changes, current))
        }
        onNodeClick={(_event, node) => node.selectable !== false && props.onSelect(node.id)}
        onPaneClick={() => props.onSelect(null)}
        onNodeDragStop={(_event, node) => {
          const from = props.draft.steps.findIndex((step) => stepNodeId(step.id) === node.id);
          if (from < 0) return;
          const to = Math.max(
            0,
            Math.min(props.draft.steps.length - 1, Math.round(node.position.y / ROW) - 1),
          );
          if (to !== from) props.onMove?.(from, to);
          else setNodes(laidOut);
        }}
        nodesConnectable={false}
        deleteKeyCode={null}
        fitView
        fitViewOptions={{
          maxZoom: 1,
          padding: 0.2,
          nodes:
            laidOut.length > FIT_ALL_UP_TO
              ? laidOut.slice(0, FIT_ALL_UP_TO).map((node) => ({ id: node.id }))
              : undefined,
        }}
        minZoom={0.2}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={24} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** The flow drawn with @xyflow/react: editable in the editor, read-only with statuses in a run view. */
export function FlowCanvas(props: CanvasProps): ReactElement {
  return (
    <ReactFlowProvider>
      <CanvasInner {...props} />
    </ReactFlowProvider>
  );
}
