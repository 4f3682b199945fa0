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
import type { CardView } from './flow-types';

/** Vertical distance between two cards; the layout is one column top to bottom. */
export const ROW = 120;
const WIDTH = 280;
/** Up to this many cards the canvas fits them all; beyond, it fits the first ones. */
const FIT_ALL_UP_TO = 8;

export interface CardNodeData extends Record<string, unknown> {
  readonly title: string;
  readonly subtitle: string;
  readonly kind: 'trigger' | 'step' | 'placeholder-trigger' | 'end';
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

const nodeTypes = { card: CardNodeView };
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

/** Positions: the trigger on top, then each step one row lower (paths will sit side by side). */
export function layoutNodes(props: CanvasProps): CardNode[] {
  const { draft } = props;
  const nodes: CardNode[] = [];
  const card = (ref: string) => props.cardOf(ref);
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
  draft.steps.forEach((step, index) => {
    const id = stepNodeId(step.id);
    nodes.push({
      id,
      type: 'card',
      position: { x: 0, y: (index + 1) * ROW },
      draggable: props.editable,
      selected: props.selected === id,
      data: {
        kind: 'step',
        stepId: step.id,
        title: step.name || card(step.card)?.title || step.card,
        subtitle: `${step.card.split('/')[0]}${step.condition ? ' · only if…' : ''}`,
        problems: props.problemsByNode.get(id) ?? 0,
        status: props.statusByNode?.get(id),
        greyed: props.greyedOf?.(step.card),
      },
      style: { width: WIDTH },
    });
  });
  if (props.editable && draft.trigger)
    nodes.push({
      id: 'end',
      type: 'card',
      position: { x: 0, y: (draft.steps.length + 1) * ROW },
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
  return nodes;
}

function edgesFor(props: CanvasProps, count: number): InsertEdge[] {
  const ids = [TRIGGER_NODE, ...props.draft.steps.map((step) => stepNodeId(step.id))];
  if (props.editable && props.draft.trigger) ids.push('end');
  const edges: InsertEdge[] = [];
  for (let i = 0; i + 1 < Math.min(ids.length, count); i++)
    edges.push({
      id: `e:${ids[i]}->${ids[i + 1]}`,
      source: ids[i]!,
      target: ids[i + 1]!,
      type: 'insert',
      selectable: false,
      data: {
        index: i,
        editable: props.editable && !!props.draft.trigger,
        onPlus: (index) => props.onPlus?.(index),
      },
    });
  return edges;
}

function CanvasInner(props: CanvasProps): ReactElement {
  const flow = useReactFlow();
  const { draft, cardOf, greyedOf, selected, problemsByNode, statusByNode, editable } = props;
  const laidOut = useMemo(
    () =>
      layoutNodes({
        draft,
        cardOf,
        greyedOf,
        selected,
        problemsByNode,
        statusByNode,
        editable,
      } as CanvasProps),
    [draft, cardOf, greyedOf, selected, problemsByNode, statusByNode, editable],
  );
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
  const { onPlus } = props;
  const edges = useMemo(
    () => edgesFor({ draft, editable, onPlus } as CanvasProps, laidOut.length),
    [draft, editable, onPlus, laidOut.length],
  );

  const indexAt = (y: number): number =>
    Math.max(0, Math.min(props.draft.steps.length, Math.round((y - ROW / 2) / ROW)));

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
