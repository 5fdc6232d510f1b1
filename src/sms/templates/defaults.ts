// Built-in message texts for every purpose in every shipped language; admins override any of them per language.
import type { Purpose } from '../types.ts';

type Texts = Record<Purpose, string>;

const support = (before: string, after = '') => `{% if support_contact != blank %}${before}{{ support_contact }}${after}{% endif %}`;

export const BUILTIN_TEMPLATES: Readonly<Record<string, Texts>> = {
  en: {
    login: '{{ code }} is your {{ application.name }} sign-in code. It expires in {{ expires_in_minutes }} minutes. Do not share it.',
    signup: '{{ code }} is your {{ application.name }} code to confirm your phone. It expires in {{ expires_in_minutes }} minutes. Do not share it.',
    reset_password: '{{ code }} is your {{ application.name }} password reset code. It expires in {{ expires_in_minutes }} minutes. Do not share it.',
    mfa: '{{ code }} is your {{ application.name }} security code. It expires in {{ expires_in_minutes }} minutes. Do not share it.',
    password_changed: `Your {{ application.name }} password was changed. If this was not you, reset it now${support(' or contact ')}.`,
    password_expiry_reminder: 'Your {{ application.name }} password will expire soon. Sign in to choose a new one.',
    support_followup: `Still trying to get into {{ application.name }}? If the code did not work for you, our support can help${support(': ')}.`,
    test: 'Test message from {{ application.name }}: your SMS settings work.',
  },
  es: {
    login: 'Usa {{ code }} para entrar en {{ application.name }}. Caduca en {{ expires_in_minutes }} minutos. No lo compartas.',
    signup: 'Usa {{ code }} para registrarte en {{ application.name }}. Caduca en {{ expires_in_minutes }} minutos. No lo compartas.',
    reset_password: 'Usa {{ code }} para cambiar tu contraseña de {{ application.name }}. Caduca en {{ expires_in_minutes }} minutos. No lo compartas.',
    mfa: 'Usa {{ code }} para confirmar tu acceso a {{ application.name }}. Caduca en {{ expires_in_minutes }} minutos. No lo compartas.',
    password_changed: `Se cambió tu contraseña de {{ application.name }}. Si no fuiste tú, restablécela ya${support(' o contacta con ')}.`,
    password_expiry_reminder: 'Tu contraseña de {{ application.name }} caducará pronto. Inicia sesión para elegir una nueva.',
    support_followup: `¿Sigues sin poder entrar en {{ application.name }}? Si el código no te funcionó, nuestro soporte puede ayudarte${support(': ')}.`,
    test: 'Mensaje de prueba de {{ application.name }}: tu configuración de SMS funciona.',
  },
  'pt-BR': {
    login: 'Use {{ code }} para entrar no {{ application.name }}. Vale por {{ expires_in_minutes }} minutos. Nunca o compartilhe.',
    signup: 'Use {{ code }} para confirmar seu telefone no {{ application.name }}. Vale por {{ expires_in_minutes }} minutos. Nunca o compartilhe.',
    reset_password: 'Use {{ code }} para redefinir sua senha do {{ application.name }}. Vale por {{ expires_in_minutes }} minutos. Nunca o compartilhe.',
    mfa: 'Use {{ code }} para confirmar seu acesso ao {{ application.name }}. Vale por {{ expires_in_minutes }} minutos. Nunca o compartilhe.',
    password_changed: `Sua senha {{ application.name }} foi alterada. Se não foi você, redefina-a agora${support(' ou fale com ')}.`,
    password_expiry_reminder: 'Sua senha {{ application.name }} vai expirar em breve. Entre para escolher uma nova.',
    support_followup: `Ainda sem conseguir entrar no {{ application.name }}? Se o código não funcionou, nosso suporte pode ajudar${support(': ')}.`,
    test: 'Mensagem de teste de {{ application.name }}: suas configurações de SMS funcionam.',
  },
  fr: {
    login: '{{ code }} est votre code de connexion {{ application.name }}. Il expire dans {{ expires_in_minutes }} minutes. Ne le partagez pas.',
    signup: '{{ code }} est votre code {{ application.name }} pour confirmer votre numéro. Il expire dans {{ expires_in_minutes }} minutes. Ne le partagez pas.',
    reset_password: '{{ code }} est votre code {{ application.name }} pour changer de mot de passe. Il expire dans {{ expires_in_minutes }} minutes. Ne le partagez pas.',
    mfa: '{{ code }} est votre code de sécurité {{ application.name }}. Il expire dans {{ expires_in_minutes }} minutes. Ne le partagez pas.',
    password_changed: `Votre mot de passe {{ application.name }} a été modifié. Si ce n'est pas vous, réinitialisez-le${support(' ou contactez ')}.`,
    password_expiry_reminder: 'Votre mot de passe {{ application.name }} va bientôt expirer. Connectez-vous pour en choisir un nouveau.',
    support_followup: `Vous n'arrivez toujours pas à accéder à {{ application.name }} ? Si le code n'a pas fonctionné, notre support peut vous aider${support(' : ')}.`,
    test: 'Message de test de {{ application.name }} : vos réglages SMS fonctionnent.',
  },
  de: {
    login: '{{ code }} ist Ihr Anmeldecode für {{ application.name }}. Gültig für {{ expires_in_minutes }} Minuten. Geben Sie ihn nicht weiter.',
    signup: '{{ code }} bestätigt Ihre Nummer bei {{ application.name }}. Gültig für {{ expires_in_minutes }} Minuten. Geben Sie ihn nicht weiter.',
    reset_password: '{{ code }} ist Ihr Code für ein neues Passwort bei {{ application.name }}. Gültig für {{ expires_in_minutes }} Minuten. Nicht weitergeben.',
    mfa: '{{ code }} ist Ihr Sicherheitscode für {{ application.name }}. Gültig für {{ expires_in_minutes }} Minuten. Geben Sie ihn nicht weiter.',
    password_changed: `Ihr Passwort für {{ application.name }} wurde geändert. Waren Sie das nicht, setzen Sie es jetzt zurück${support(' oder wenden Sie sich an ')}.`,
    password_expiry_reminder: 'Ihr Passwort für {{ application.name }} läuft bald ab. Melden Sie sich an, um ein neues zu wählen.',
    support_followup: `Kommen Sie noch nicht in {{ application.name }}? Hat der Code nicht funktioniert, hilft Ihnen unser Support${support(': ')}.`,
    test: 'Testnachricht von {{ application.name }}: Ihre SMS-Einstellungen funktionieren.',
  },
  'zh-CN': {
    login: '{{ application.name }}登录码{{ code }}，{{ expires_in_minutes }}分钟有效，勿泄露',
    signup: '{{ application.name }}注册码{{ code }}，{{ expires_in_minutes }}分钟有效，勿泄露',
    reset_password: '{{ application.name }}重置码{{ code }}，{{ expires_in_minutes }}分钟有效，勿泄露',
    mfa: '{{ application.name }}安全码{{ code }}，{{ expires_in_minutes }}分钟有效，勿泄露',
    password_changed: `您的 {{ application.name }} 密码已更改。如非本人操作，请立即重置密码${support('或联系 ')}。`,
    password_expiry_reminder: '您的 {{ application.name }} 密码即将过期，请登录并设置新密码。',
    support_followup: `仍无法进入 {{ application.name }}？如果验证码无效，我们的客服可以帮助您${support('：')}。`,
    test: '来自 {{ application.name }} 的测试短信：您的短信设置有效。',
  },
  ja: {
    login: '{{ application.name }}コード{{ code }}。{{ expires_in_minutes }}分有効。共有禁止',
    signup: '{{ application.name }}登録{{ code }}。{{ expires_in_minutes }}分有効。共有禁止',
    reset_password: '{{ application.name }}再設定{{ code }}。{{ expires_in_minutes }}分有効。共有禁止',
    mfa: '{{ application.name }}認証{{ code }}。{{ expires_in_minutes }}分有効。共有禁止',
    password_changed: `{{ application.name }} のパスワードが変更されました。心当たりがない場合はすぐに再設定してください${support('（お問い合わせ: ', '）')}。`,
    password_expiry_reminder: '{{ application.name }} のパスワードの有効期限が近づいています。ログインして新しいパスワードを設定してください。',
    support_followup: `{{ application.name }} にまだ入れませんか？コードがうまく使えなかった場合は、サポートがお手伝いします${support('（お問い合わせ: ', '）')}。`,
    test: '{{ application.name }} からのテストメッセージです。SMS の設定は正常です。',
  },
};

export const BUILTIN_LANGUAGES: readonly string[] = Object.keys(BUILTIN_TEMPLATES);

export function builtinTemplate(purpose: Purpose, language: string): string | undefined {
  return BUILTIN_TEMPLATES[language]?.[purpose];
}
