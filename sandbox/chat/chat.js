// The sandbox chat page: the person using it plays a WhatsApp customer. What they type is sent to
// the sandbox as an inbound message (POST /__sandbox/inbound), which fires the incoming_msg webhook
// at the workflows; what the workflows send back shows up here by polling GET /__sandbox/messages.
'use strict';

const POLL_MS = 1000;
const NAMES_KEY = 'azeer-sandbox-chat-names';

const el = (id) => document.getElementById(id);
const contactsList = el('contacts');
const messagesList = el('messages');
const textInput = el('text');
const sendButton = el('send');
const connection = el('connection');

const state = {
	messages: [],
	templates: [],
	contacts: [],
	tags: [],
	agents: [],
	selected: decodeURIComponent(location.hash.slice(1)) || '',
	names: JSON.parse(localStorage.getItem(NAMES_KEY) || '{}'),
	drafts: new Set(), // contacts started here that have no message yet
	renderedKey: '',
};

function h(tag, attributes = {}, children = []) {
	const node = document.createElement(tag);
	for (const [key, value] of Object.entries(attributes)) {
		if (key === 'text') node.textContent = value;
		else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
		else if (value !== undefined && value !== null && value !== false)
			node.setAttribute(key, value);
	}
	for (const child of [].concat(children)) if (child) node.append(child);
	return node;
}

function contactOf(message) {
	return message.direction === 'in' ? message.from : message.to;
}

function displayName(phone) {
	return state.names[phone] || `+${phone}`;
}

function initials(phone) {
	const name = state.names[phone];
	return name ? name.trim().slice(0, 1).toUpperCase() : '#';
}

function time(iso) {
	return new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
}

async function api(method, path, body) {
	const response = await fetch(path, {
		method,
		headers: body ? { 'content-type': 'application/json' } : {},
		body: body ? JSON.stringify(body) : undefined,
	});
	const payload = await response.json().catch(() => null);
	if (!response.ok)
		throw new Error((payload && payload.message) || `${method} ${path}: HTTP ${response.status}`);
	return payload;
}

// ---- what a message looks like -------------------------------------------------------------

function summary(message) {
	const content = message.content || {};
	if (message.text) return message.text;
	switch (message.type) {
		case 'template':
			return `Template ${content.template_id || ''}`;
		case 'interactive':
			return (content.body && content.body.text) || 'Interactive message';
		case 'location':
			return `Location ${content.name || ''}`.trim();
		default:
			return message.type.charAt(0).toUpperCase() + message.type.slice(1);
	}
}

function mediaLink(content) {
	return content.link || content.filename_url || content.url || '';
}

function fill(text, values) {
	return String(text || '').replace(/\{\{(\d+)\}\}/g, (placeholder, n) =>
		values && values[n - 1] !== undefined ? values[n - 1] : placeholder,
	);
}

// Shows a sent template the way the phone would: the approved text with the sent values filled in.
function templateBody(content) {
	const argument = content.argument || {};
	const template = state.templates.find(
		(t) => t.name === content.template_id && t.language === content.language,
	);
	if (!template)
		return [
			h('span', {
				class: 'label',
				text: `Template ${content.template_id} (${content.language || '?'})`,
			}),
			JSON.stringify(argument),
		];
	const parts = [
		h('span', { class: 'label', text: `Template ${template.name} (${template.language})` }),
	];
	for (const component of template.components) {
		const values = argument[component.type];
		if (component.type === 'HEADER' && component.format && component.format !== 'TEXT') {
			if (values && values[0])
				parts.push(
					component.format === 'IMAGE'
						? h('img', { src: values[0], alt: 'header image' })
						: h('a', { class: 'link', href: values[0], text: values[0] }),
				);
		} else if (component.type === 'HEADER')
			parts.push(h('span', { class: 'header', text: fill(component.text, values) }));
		else if (component.type === 'BODY') parts.push(fill(component.text, values));
		else if (component.type === 'FOOTER')
			parts.push(h('span', { class: 'footer', text: component.text }));
		else if (component.type === 'BUTTONS') {
			parts.push(
				h(
					'div',
					{ class: 'quick-replies' },
					(component.buttons || []).map((button) =>
						h('button', {
							type: 'button',
							text: button.text,
							title: fill(button.url, values) || button.text,
							disabled: button.type !== 'QUICK_REPLY',
							onclick: () =>
								sendInbound({ interactive: { reply_id: button.text, title: button.text } }),
						}),
					),
				),
			);
		}
	}
	return parts;
}

function replyButtons(message, content) {
	const action = content.action || {};
	const options = action.buttons
		? action.buttons.map((button) => (button.reply ? button.reply : button))
		: (action.sections || []).flatMap((section) => section.rows || []);
	if (!options.length) return null;
	const answered = state.messages.some(
		(other) =>
			other.direction === 'in' &&
			other.from === message.to &&
			other.message_id > message.message_id,
	);
	return h(
		'div',
		{ class: 'quick-replies' },
		options.map((option) =>
			h('button', {
				type: 'button',
				text: option.title,
				title: option.description || option.title,
				disabled: answered,
				'data-reply-id': option.id,
				onclick: () => sendInbound({ interactive: { reply_id: option.id, title: option.title } }),
			}),
		),
	);
}

function messageBody(message) {
	const content = message.content || {};
	const link = mediaLink(content);
	switch (message.type) {
		case 'image':
		case 'sticker':
			return [
				link && h('img', { src: link, alt: content.caption || 'image' }),
				content.caption || (message.direction === 'in' ? message.text : ''),
			];
		case 'video':
		case 'audio':
		case 'document':
			return [
				h('a', {
					class: 'link',
					href: link,
					target: '_blank',
					rel: 'noopener',
					text: content.filename || `${message.type}: ${link}`,
				}),
				content.caption || '',
			];
		case 'template':
			return templateBody(content);
		case 'interactive': {
			if (message.direction === 'in') return [message.text || summary(message)];
			const header = content.header && content.header.text;
			return [
				header && h('span', { class: 'header', text: header }),
				(content.body && content.body.text) || '',
				content.footer && h('span', { class: 'footer', text: content.footer.text }),
				replyButtons(message, content),
			];
		}
		case 'location':
			return [
				h('span', { class: 'header', text: content.name || 'Location' }),
				content.address || `${content.latitude}, ${content.longitude}`,
			];
		case 'contacts':
			return [
				`Contact card: ${(Array.isArray(content) ? content : []).map((card) => card.name && card.name.formatted_name).join(', ')}`,
			];
		default:
			return [message.text || (content.body ? content.body : summary(message))];
	}
}

function ticks(status) {
	if (status === 'failed') return h('span', { class: 'ticks failed', title: 'failed', text: '!' });
	const marks = { sent: '✓', delivered: '✓✓', read: '✓✓' }[status];
	if (!marks) return null;
	return h('span', { class: `ticks ${status}`, title: status, 'data-status': status, text: marks });
}

function renderMessage(message) {
	const own = message.direction === 'in';
	return h(
		'li',
		{
			class: `message ${own ? 'own' : 'bot'}`,
			'data-direction': message.direction,
			'data-type': message.type,
			'data-status': message.status,
		},
		[
			...messageBody(message),
			h('span', { class: 'meta' }, [
				h('time', { datetime: message.created_at, text: time(message.created_at) }),
				own ? null : ticks(message.status),
			]),
		],
	);
}

// ---- rendering -------------------------------------------------------------------------

function conversations() {
	const byContact = new Map();
	for (const phone of state.drafts) byContact.set(phone, null);
	for (const message of state.messages) byContact.set(contactOf(message), message);
	return [...byContact.entries()].sort(
		([, a], [, b]) =>
			(b ? Date.parse(b.created_at) : Infinity) - (a ? Date.parse(a.created_at) : Infinity),
	);
}

function renderContacts() {
	contactsList.replaceChildren(
		...conversations().map(([phone, last]) =>
			h('li', {}, [
				h(
					'button',
					{
						type: 'button',
						'aria-current': String(phone === state.selected),
						'data-phone': phone,
						onclick: () => select(phone),
					},
					[
						h('span', { class: 'avatar', text: initials(phone) }),
						h('span', { class: 'contact-text' }, [
							h('span', { class: 'contact-name', text: displayName(phone) }),
							h('span', {
								class: 'contact-preview',
								text: last ? summary(last) : 'No messages yet',
							}),
						]),
						h('span', { class: 'contact-time', text: last ? time(last.created_at) : '' }),
					],
				),
			]),
		),
	);
}

function renderConversation() {
	const phone = state.selected;
	el('chat-title').textContent = phone ? displayName(phone) : 'Choose or start a chat';
	el('chat-subtitle').textContent = phone
		? [`+${phone} · chatting with your bot`, ...contactDetails(phone)].join(' · ')
		: 'The bot is your n8n workflow with the Azeer Trigger.';
	el('chat-avatar').textContent = phone ? initials(phone) : '';
	textInput.disabled = sendButton.disabled = !phone;
	const thread = state.messages.filter((message) => contactOf(message) === phone);
	const key = phone + JSON.stringify(thread.map((m) => [m.message_id, m.status]));
	if (key === state.renderedKey) return;
	state.renderedKey = key;
	const atBottom =
		messagesList.scrollHeight - messagesList.scrollTop - messagesList.clientHeight < 40;
	messagesList.replaceChildren(
		...(thread.length || !phone
			? thread.map(renderMessage)
			: [
					h('li', {
						class: 'system-note',
						text: 'Say hello: your message reaches the workflows as an incoming WhatsApp message.',
					}),
				]),
	);
	if (atBottom || thread.length <= 1) messagesList.scrollTop = messagesList.scrollHeight;
}

// What the workflows did to the contact: its tags and the agent its conversation is assigned to.
function contactDetails(phone) {
	const contact = state.contacts.find((c) => c.platform_id === phone);
	if (!contact) return [];
	const tags = contact.tag_ids.map(
		(id) => (state.tags.find((t) => t.id === id) || { tag: `#${id}` }).tag,
	);
	const agent = state.agents.find((a) => a.id === contact.assigned_agent_id);
	return [
		tags.length ? `Tags: ${tags.join(', ')}` : '',
		agent ? `Assigned to ${agent.name}` : '',
	].filter(Boolean);
}

function render() {
	renderContacts();
	renderConversation();
}

function select(phone) {
	state.selected = phone;
	history.replaceState(null, '', `#${encodeURIComponent(phone)}`);
	state.renderedKey = '';
	render();
	textInput.focus();
}

// ---- actions ---------------------------------------------------------------------------

async function refresh() {
	try {
		const world = await api('GET', '/__sandbox/state');
		state.messages = [...(world.messages || [])].sort((a, b) => a.message_id - b.message_id);
		state.templates = world.templates || [];
		state.contacts = world.contacts || [];
		state.tags = world.tags || [];
		state.agents = world.agents || [];
		for (const contact of world.contacts || []) {
			if (
				!state.names[contact.platform_id] &&
				contact.profile_name &&
				contact.profile_name !== contact.platform_id
			) {
				state.names[contact.platform_id] = contact.profile_name;
			}
		}
		connection.textContent = `Connected to the sandbox at ${location.host}`;
		connection.classList.remove('error');
		render();
	} catch (error) {
		connection.textContent = `Sandbox not reachable: ${error.message}`;
		connection.classList.add('error');
	}
}

async function sendInbound(extra) {
	const phone = state.selected;
	if (!phone) return;
	try {
		await api('POST', '/__sandbox/inbound', { from: phone, name: state.names[phone], ...extra });
		state.drafts.delete(phone);
	} catch (error) {
		connection.textContent = `Could not send: ${error.message}`;
		connection.classList.add('error');
	}
	await refresh();
}

el('composer').addEventListener('submit', async (event) => {
	event.preventDefault();
	const text = textInput.value.trim();
	if (!text) return;
	textInput.value = '';
	await sendInbound({ text });
});

el('send-image').addEventListener('click', () =>
	sendInbound({ media: { type: 'image', sample: 'sample.jpg' }, text: 'Sample photo' }),
);

el('new-chat').addEventListener('submit', (event) => {
	event.preventDefault();
	const phone = el('new-phone').value.replace(/\D/g, '');
	const name = el('new-name').value.trim();
	if (!/^[0-9]{8,15}$/.test(phone)) return;
	if (name) {
		state.names[phone] = name;
		localStorage.setItem(NAMES_KEY, JSON.stringify(state.names));
	}
	state.drafts.add(phone);
	event.target.reset();
	select(phone);
});

if (!state.selected) {
	state.selected = '966501234567';
	state.names[state.selected] = state.names[state.selected] || 'Sara';
}
state.drafts.add(state.selected);
render();
refresh();
setInterval(refresh, POLL_MS);
