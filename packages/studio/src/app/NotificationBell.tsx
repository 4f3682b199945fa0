import { useEffect, useId, useState, type ReactElement } from 'react';
import { api } from '../api/api-client';
import type { Notification } from '../api/api-types';
import { formatDate } from './format';
import { navigate } from './router';
import { useApi } from './use-api';

const REFRESH_MS = 60_000;

/**
 * The bell: unread count, and a list whose entries lead straight to the configuration's row on the
 * Integrations page (opening one marks it read).
 */
export function NotificationBell(): ReactElement {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const { data, reload } = useApi<{ notifications: Notification[]; unread: number }>(
    '/v1/notifications?limit=20',
  );
  useEffect(() => {
    const timer = window.setInterval(() => {
      if (document.visibilityState === 'visible') void reload();
    }, REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [reload]);
  const unread = data?.unread ?? 0;

  const openNotification = async (notification: Notification): Promise<void> => {
    setOpen(false);
    if (!notification.readAt)
      await api('POST', `/v1/notifications/${encodeURIComponent(notification.id)}/read`).catch(
        () => undefined,
      );
    void reload();
    navigate(
      notification.configurationId
        ? `/settings/integrations?configuration=${encodeURIComponent(notification.configurationId)}`
        : '/settings/integrations',
    );
  };
  const markAll = async (): Promise<void> => {
    await api('POST', '/v1/notifications/read-all').catch(() => undefined);
    void reload();
  };

  return (
    <div className="bell">
      <button
        type="button"
        className="button-secondary"
        aria-expanded={open}
        aria-controls={listId}
        onClick={() => setOpen(!open)}
      >
        <svg className="bell-icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">
          <path
            fill="currentColor"
            d="M12 22a2.5 2.5 0 0 0 2.45-2h-4.9A2.5 2.5 0 0 0 12 22Zm7-6V11a7 7 0 0 0-5.5-6.84V3a1.5 1.5 0 0 0-3 0v1.16A7 7 0 0 0 5 11v5l-2 2v1h18v-1l-2-2Z"
          />
        </svg>{' '}
        Notifications
        <span className={unread > 0 ? 'count count-unread' : 'count'}>
          {unread}
          <span className="visually-hidden"> unread</span>
        </span>
      </button>
      {open ? (
        <div className="bell-panel" id={listId}>
          {data && data.notifications.length > 0 ? (
            <>
              <ul>
                {data.notifications.map((notification) => (
                  <li key={notification.id} className={notification.readAt ? 'read' : 'unread'}>
                    <button
                      type="button"
                      className="button-plain bell-item"
                      onClick={() => void openNotification(notification)}
                    >
                      <strong>{notification.title}</strong>
                      <span>{notification.body}</span>
                      <small>{formatDate(notification.createdAt)}</small>
                    </button>
                  </li>
                ))}
              </ul>
              {unread > 0 ? (
                <button type="button" className="button-plain" onClick={() => void markAll()}>
                  Mark all as read
                </button>
              ) : null}
            </>
          ) : (
            <p>No notifications.</p>
          )}
        </div>
      ) : null}
    </div>
  );
}
